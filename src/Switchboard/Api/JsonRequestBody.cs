using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Api;

/// <summary>
/// Reads the small JSON bodies of the management endpoints as a <see cref="JsonElement"/>, which lets them tell
/// a field that was not sent from one sent as <c>null</c>. Not for the proxy path, which never parses whole bodies.
/// Every string is checked to be text first (<see cref="JsonText"/>), so the endpoints' <c>GetString</c> calls
/// cannot throw on a lone surrogate or invalid UTF-8.
/// </summary>
internal static class JsonRequestBody
{
    public static async Task<(JsonElement Body, ApiError? Error)> ReadObjectAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            if (JsonText.FindInvalidString(json.Span, default) is var invalid and >= 0)
            {
                return (default, NotText(json.Span, invalid, default));
            }
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, ApiError.BadRequest("Request body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (default, ApiError.BadRequest($"Request body is not valid JSON: {ex.Message}"));
        }
    }

    /// <summary>The 400 for a body whose string at <paramref name="offset"/> is not text, naming the field it is in.</summary>
    public static ApiError NotText(ReadOnlySpan<byte> json, int offset, JsonReaderOptions options)
    {
        var path = JsonText.PathTo(json, offset, options);
        return ApiError.BadRequest(
            $"Request body is not valid JSON: the string at '{path}' is not valid UTF-8 text (invalid bytes, or an unpaired surrogate escape such as \\ud800).",
            path);
    }
}
