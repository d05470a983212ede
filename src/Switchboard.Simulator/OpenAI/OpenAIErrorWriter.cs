using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>Error responses in OpenAI's <c>{"error":{message,type,param,code}}</c> shape.</summary>
internal static class OpenAIErrorWriter
{
    public static Task WriteInvalidRequestAsync(HttpResponse response, OpenAIRequestError error, CancellationToken ct) =>
        WriteAsync(response, StatusCodes.Status400BadRequest, new ErrorFields(error.Message, "invalid_request_error", error.Param, null), ct);

    public static Task WriteScriptedAsync(HttpResponse response, ErrorReply reply, CancellationToken ct)
    {
        if (reply.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (reply.RawBody is { } raw)
        {
            return ResponseBodies.WriteRawAsync(response, reply.Status, ResponseBodies.JsonContentType, Encoding.UTF8.GetBytes(raw), ct);
        }

        var fields = new ErrorFields($"Simulated upstream error ({reply.Status})", TypeFor(reply.Status), null, null);
        return WriteAsync(response, reply.Status, fields, ct);
    }

    /// <summary>Unknown routes answer like OpenAI does rather than with an empty 404.</summary>
    public static Task WriteUnknownUrlAsync(HttpContext http)
    {
        var message = $"Unknown request URL: {http.Request.Method} {http.Request.Path}. Please check the URL for typos, "
            + "or see the docs at https://platform.openai.com/docs/api-reference/.";
        return WriteAsync(http.Response, StatusCodes.Status404NotFound,
            new ErrorFields(message, "invalid_request_error", null, "unknown_url"), http.RequestAborted);
    }

    private static string TypeFor(int status) => status switch
    {
        429 => "rate_limit_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "server_error",
    };

    private static Task WriteAsync(HttpResponse response, int status, ErrorFields fields, CancellationToken ct) =>
        ResponseBodies.WriteJsonAsync(response, status, fields, WriteBody, ct);

    private static void WriteBody(Utf8JsonWriter json, ErrorFields fields)
    {
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, fields.Message);
        json.WriteString("type"u8, fields.Type);
        json.WriteString("param"u8, fields.Param);
        json.WriteString("code"u8, fields.Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private sealed record ErrorFields(string Message, string Type, string? Param, string? Code);
}
