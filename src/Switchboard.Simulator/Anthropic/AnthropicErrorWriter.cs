using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>Errors in Anthropic's <c>{"type":"error","error":{type,message},"request_id"}</c> shape.</summary>
internal static class AnthropicErrorWriter
{
    public const string RequestIdHeader = "request-id";

    public static Task WriteInvalidRequestAsync(HttpResponse response, string message, CancellationToken ct) =>
        WriteAsync(response, StatusCodes.Status400BadRequest, "invalid_request_error", message, ct);

    public static Task WriteScriptedAsync(HttpResponse response, ErrorReply reply, CancellationToken ct)
    {
        if (reply.RetryAfterSeconds is { } seconds)
        {
            response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return reply.RawBody is { } raw
            ? ResponseBodies.WriteRawAsync(response, reply.Status, ResponseBodies.JsonContentType, Encoding.UTF8.GetBytes(raw), ct)
            : WriteAsync(response, reply.Status, TypeFor(reply.Status), $"Simulated upstream error ({reply.Status})", ct);
    }

    private static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    private static Task WriteAsync(HttpResponse response, int status, string type, string message, CancellationToken ct) =>
        ResponseBodies.WriteJsonAsync(
            response,
            status,
            (type, message, requestId: response.Headers[RequestIdHeader].ToString()),
            static (json, error) =>
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "error"u8);
                json.WriteStartObject("error"u8);
                json.WriteString("type"u8, error.type);
                json.WriteString("message"u8, error.message);
                json.WriteEndObject();
                json.WriteString("request_id"u8, error.requestId);
                json.WriteEndObject();
            },
            ct);
}
