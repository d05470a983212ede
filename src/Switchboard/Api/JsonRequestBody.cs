using System.Text.Json;

namespace Switchboard.Api;

/// <summary>
/// Reads the small JSON bodies of the management endpoints as a <see cref="JsonElement"/>, which lets them tell
/// a field that was not sent from one sent as <c>null</c>. Not for the proxy path, which never parses whole bodies.
/// </summary>
internal static class JsonRequestBody
{
    public static async Task<(JsonElement Body, ApiError? Error)> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, ApiError.BadRequest("Request body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (default, ApiError.BadRequest($"Request body is not valid JSON: {ex.Message}"));
        }
    }
}
