using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Messages;

/// <summary>Marks the Messages API's endpoints: their errors take Anthropic's shape, which its SDKs turn into typed errors.</summary>
internal sealed class MessagesApiEndpoint
{
    public static readonly MessagesApiEndpoint Instance = new();
}

/// <summary>
/// An <see cref="ApiError"/> as Anthropic writes it: <c>{"type":"error","error":{"type","message"},"request_id"}</c>,
/// with the same status (Anthropic's SDKs pick the error class from the status, and Claude Code reads the message).
/// The request id is the generation's when one was named, so the error can be found in the activity log.
/// </summary>
internal static class MessagesErrors
{
    public static bool Applies(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<MessagesApiEndpoint>() is not null;

    public static async Task WriteAsync(HttpResponse response, ApiError error)
    {
        var requestId = RequestId(response.HttpContext);
        response.Headers["request-id"] = requestId;
        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("type"u8, "error");
        json.WriteStartObject("error"u8);
        json.WriteString("type"u8, AnthropicErrorTypes.FromStatus(error.Status));
        json.WriteString("message"u8, error.Message);
        json.WriteEndObject();
        json.WriteString("request_id"u8, requestId);
        json.WriteEndObject();
        await json.FlushAsync(response.HttpContext.RequestAborted);
    }

    private static string RequestId(HttpContext context) =>
        context.Response.Headers["X-Generation-Id"] is { Count: > 0 } generation ? generation.ToString() : context.TraceIdentifier;
}
