using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Api;

/// <summary>
/// Writes an <see cref="ApiError"/> as an HTTP response (in Anthropic's shape on the Messages API's endpoints), or as
/// the body of an error stream chunk.
/// </summary>
internal static class ApiErrorWriter
{
    public static Task WriteAsync(HttpResponse response, ApiError error)
    {
        response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (error.Metadata?.Headers is { } headers)
        {
            foreach (var (name, value) in headers)
            {
                response.Headers[name] = value;
            }
        }
        if (Messages.MessagesErrors.Applies(response.HttpContext))
        {
            return Messages.MessagesErrors.WriteAsync(response, error);
        }
        response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(response.Body, ToEnvelope(error), SwitchboardJsonContext.Api.ErrorEnvelope, response.HttpContext.RequestAborted);
    }

    public static void WriteErrorObject(Utf8JsonWriter writer, ApiError error) =>
        JsonSerializer.Serialize(writer, new ErrorBody(error.Status, error.Message, error.Metadata), SwitchboardJsonContext.Api.ErrorBody);

    private static ErrorEnvelope ToEnvelope(ApiError error) => new(new ErrorBody(error.Status, error.Message, error.Metadata));
}
