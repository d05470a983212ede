using System.Text;
using System.Text.Json;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// What the fuzzer checks of every answer: no 5xx; an error body in our shape,
/// <c>{"error":{"code","message","metadata":{"param"?}}}</c>, whose code is the status (on the Messages API,
/// Anthropic's <c>{"type":"error","error":{"type","message"},"request_id"}</c>); and a success that is well-formed
/// (a JSON completion, or a stream whose every event is JSON or <c>[DONE]</c>).
/// </summary>
internal static class ErrorShape
{
    /// <summary>Why the answer is wrong, or null when it is right.</summary>
    public static string? Problem(int status, string? contentType, byte[] body, bool anthropic = false, bool responses = false)
    {
        if (status >= 500)
        {
            return $"HTTP {status}: {Text(body)}";
        }
        if (status >= 400)
        {
            return anthropic ? CheckAnthropic(body, status) : Check(body, status);
        }
        if (contentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true)
        {
            return responses ? ResponsesStream(body) : Stream(body, anthropic);
        }
        if (contentType?.StartsWith("application/json", StringComparison.Ordinal) == true && !IsJson(body))
        {
            return $"HTTP {status} with a body that is not JSON: {Text(body)}";
        }
        return null;
    }

    /// <summary>Whether <paramref name="body"/> is an error in our shape for <paramref name="status"/> (null when it is).</summary>
    public static string? Check(byte[] body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Describe(document.RootElement, status) is { } wrong ? $"HTTP {status}, {wrong}: {Text(body)}" : null;
        }
        catch (JsonException)
        {
            return $"HTTP {status} with an error body that is not JSON: {Text(body)}";
        }
    }

    private static string? CheckAnthropic(byte[] body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return DescribeAnthropic(document.RootElement, requestId: true) is { } wrong ? $"HTTP {status}, {wrong}: {Text(body)}" : null;
        }
        catch (JsonException)
        {
            return $"HTTP {status} with an error body that is not JSON: {Text(body)}";
        }
    }

    private static string? DescribeAnthropic(JsonElement root, bool requestId)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !type.ValueEquals("error")
            || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return "not Anthropic's error shape";
        }
        if (!error.TryGetProperty("type", out var errorType) || errorType.ValueKind != JsonValueKind.String || errorType.GetString()!.Length == 0)
        {
            return "error.type is missing";
        }
        if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String || message.GetString()!.Length == 0)
        {
            return "error.message is missing";
        }
        return requestId && (!root.TryGetProperty("request_id", out var id) || id.ValueKind != JsonValueKind.String) ? "request_id is missing" : null;
    }

    private static string? Describe(JsonElement root, int? status)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return "no error object";
        }
        if (!error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number || !code.TryGetInt32(out var value)
            || (status is { } expected && value != expected))
        {
            return "error.code is not the status";
        }
        if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String || message.GetString()!.Length == 0)
        {
            return "error.message is missing";
        }
        if (error.TryGetProperty("metadata", out var metadata))
        {
            if (metadata.ValueKind != JsonValueKind.Object)
            {
                return "error.metadata is not an object";
            }
            if (metadata.TryGetProperty("param", out var param) && param.ValueKind != JsonValueKind.String)
            {
                return "error.metadata.param is not a string";
            }
        }
        return null;
    }

    private static string? Stream(byte[] body, bool anthropic)
    {
        foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }
            var data = Encoding.UTF8.GetBytes(line[6..]);
            if (!IsJson(data))
            {
                return $"a stream event that is not JSON: {line}";
            }
            using var document = JsonDocument.Parse(data);
            // An error after content has started arrives as a chunk with an error object in our shape (on the
            // Messages API, as Anthropic's error event).
            var root = document.RootElement;
            var wrong = anthropic
                ? root.TryGetProperty("type", out var type) && type.ValueEquals("error") ? DescribeAnthropic(root, requestId: false) : null
                : root.TryGetProperty("error", out _) ? Describe(root, status: null) : null;
            if (wrong is not null)
            {
                return $"a stream error event with {wrong}: {line}";
            }
        }
        return null;
    }

    /// <summary>
    /// A Responses stream: every event JSON, numbered from 0 without a gap, and the last a terminal event (the
    /// gateway's own errors after the first event arrive as response.failed).
    /// </summary>
    private static string? ResponsesStream(byte[] body)
    {
        var expected = 0;
        string? last = null;
        foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }
            var data = Encoding.UTF8.GetBytes(line[6..]);
            if (!IsJson(data))
            {
                return $"a stream event that is not JSON: {line}";
            }
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (!root.TryGetProperty("sequence_number", out var sequence) || sequence.ValueKind != JsonValueKind.Number || sequence.GetInt32() != expected)
            {
                return $"an event out of sequence (expected {expected}): {line}";
            }
            expected++;
            last = root.TryGetProperty("type", out var type) ? type.GetString() : null;
        }
        return last is "response.completed" or "response.incomplete" or "response.failed" ? null : $"a stream that ends with {last ?? "no event"}";
    }

    private static bool IsJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Text(byte[] body) => Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 600)));
}
