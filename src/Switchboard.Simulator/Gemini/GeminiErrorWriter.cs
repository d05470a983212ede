using System.Text;
using System.Text.Json;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>Errors in Google's <c>{"error":{code,message,status,details?}}</c> shape.</summary>
internal static class GeminiErrorWriter
{
    public static Task WriteInvalidArgumentAsync(HttpResponse response, GeminiRequestError error, CancellationToken ct) =>
        WriteAsync(response, new ErrorFields(StatusCodes.Status400BadRequest, error.Message, error.Violations, null), ct);

    public static Task WriteNotFoundAsync(HttpResponse response, string message, CancellationToken ct) =>
        WriteAsync(response, new ErrorFields(StatusCodes.Status404NotFound, message, [], null), ct);

    /// <summary>
    /// Google sends no Retry-After header: a scripted <c>retry_after</c> becomes a <c>google.rpc.RetryInfo</c> detail,
    /// which is where a gateway has to look for it.
    /// </summary>
    public static Task WriteScriptedAsync(HttpResponse response, ErrorReply reply, CancellationToken ct) =>
        reply.RawBody is { } raw
            ? ResponseBodies.WriteRawAsync(response, reply.Status, ResponseBodies.JsonContentType, Encoding.UTF8.GetBytes(raw), ct)
            : WriteAsync(response, new ErrorFields(reply.Status, $"Simulated upstream error ({reply.Status})", [], reply.RetryAfterSeconds), ct);

    private static string StatusFor(int code) => code switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "NOT_IMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        >= 500 => "INTERNAL",
        _ => "FAILED_PRECONDITION",
    };

    private static Task WriteAsync(HttpResponse response, ErrorFields fields, CancellationToken ct) =>
        ResponseBodies.WriteJsonAsync(response, fields.Code, fields, WriteBody, ct);

    private static void WriteBody(Utf8JsonWriter json, ErrorFields fields)
    {
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteNumber("code"u8, fields.Code);
        json.WriteString("message"u8, fields.Message);
        json.WriteString("status"u8, StatusFor(fields.Code));
        if (fields.Violations.Count > 0 || fields.RetryAfterSeconds is not null)
        {
            json.WriteStartArray("details"u8);
            json.WriteStartObject();
            if (fields.RetryAfterSeconds is { } seconds)
            {
                json.WriteString("@type"u8, "type.googleapis.com/google.rpc.RetryInfo"u8);
                json.WriteString("retryDelay"u8, $"{seconds}s");
            }
            else
            {
                json.WriteString("@type"u8, "type.googleapis.com/google.rpc.BadRequest"u8);
                json.WriteStartArray("fieldViolations"u8);
                foreach (var violation in fields.Violations)
                {
                    json.WriteStartObject();
                    json.WriteString("field"u8, violation.Field);
                    json.WriteString("description"u8, violation.Description);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private sealed record ErrorFields(int Code, string Message, IReadOnlyList<GeminiFieldViolation> Violations, int? RetryAfterSeconds);
}
