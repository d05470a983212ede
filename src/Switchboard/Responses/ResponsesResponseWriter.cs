using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// The gateway's <c>chat.completion</c> as an OpenAI <c>response</c> object: output items in the order a model
/// produces them (reasoning, then the message, then one <c>function_call</c> per tool call), the usage priced, and the
/// request's settings echoed.
/// </summary>
internal static class ResponsesResponseWriter
{
    /// <summary>A complete OpenAI chat.completion (usage included) -> a Responses <c>response</c> object.</summary>
    /// <returns>
    /// False, with nothing written, for a completion that cannot become one: not JSON, no choice, fields of the wrong
    /// type, a tool call without a name. The caller treats that as an invalid upstream response. Writes through
    /// <see cref="ThreadJsonWriter"/>.
    /// </returns>
    public static bool TryWrite(ReadOnlySpan<byte> completion, IBufferWriter<byte> output, ResponsesEcho echo, long completedAt)
    {
        using var document = JsonText.TryParse(completion);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root
            || !JsonValues.TryGetValue(root, "choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
            || !JsonValues.TryGetValue(choices[0], "message", out var message) || message.ValueKind != JsonValueKind.Object
            || !TryReadText(message, out var text)
            || !TryReadCalls(message, out var calls))
        {
            return false;
        }
        var id = JsonValues.String(root, "id") ?? "";
        var incomplete = ResponsesOutcome.IncompleteReason(JsonValues.String(choices[0], "finish_reason"));
        var json = ThreadJsonWriter.Over(output);
        json.WriteStartObject();
        ResponsesOutcome.WriteHead(json, id, JsonValues.Count(root, "created"), JsonValues.String(root, "model") ?? "",
            incomplete is null ? "completed" : "incomplete", incomplete, echo, completedAt: completedAt);
        json.WriteStartArray("output"u8);
        if (ResponsesReasoning.TryRead(message, out var summary, out var encrypted))
        {
            WriteReasoning(json, ResponsesOutcome.ReasoningId(id), summary, encrypted);
        }
        if (text.Length > 0 || calls.Count == 0)
        {
            WriteMessage(json, ResponsesOutcome.MessageId(id), text, incomplete is null ? "completed" : "incomplete");
        }
        for (var i = 0; i < calls.Count; i++)
        {
            WriteCall(json, ResponsesOutcome.CallId(id, i), calls[i].CallId, calls[i].Name, calls[i].Arguments, "completed");
        }
        json.WriteEndArray();
        JsonValues.TryGetValue(root, "usage", out var usage);
        ResponsesOutcome.WriteUsage(json, usage);
        json.WriteEndObject();
        json.Flush();
        return true;
    }

    public static void WriteReasoning(Utf8JsonWriter json, string id, string summary, string? encrypted)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        json.WriteString("type"u8, "reasoning");
        json.WriteStartArray("summary"u8);
        if (summary.Length > 0)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "summary_text");
            json.WriteString("text"u8, summary);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (encrypted is not null)
        {
            json.WriteString("encrypted_content"u8, encrypted);
        }
        json.WriteEndObject();
    }

    public static void WriteMessage(Utf8JsonWriter json, string id, string text, string status)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        json.WriteString("type"u8, "message");
        json.WriteString("status"u8, status);
        json.WriteString("role"u8, "assistant");
        json.WriteStartArray("content"u8);
        WriteOutputText(json, text);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteOutputText(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "output_text");
        json.WriteString("text"u8, text);
        json.WriteStartArray("annotations"u8);
        json.WriteEndArray();
        json.WriteStartArray("logprobs"u8);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteCall(Utf8JsonWriter json, string id, string callId, string name, string arguments, string status)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        json.WriteString("type"u8, "function_call");
        json.WriteString("status"u8, status);
        json.WriteString("call_id"u8, callId);
        json.WriteString("name"u8, name);
        json.WriteString("arguments"u8, arguments);
        json.WriteEndObject();
    }

    /// <summary>The answer's text: <c>content</c> as a string or text parts; a refusal, when that is all there is.</summary>
    private static bool TryReadText(JsonElement message, out string text)
    {
        text = "";
        if (JsonValues.TryGetValue(message, "content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString()!;
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var joined = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    joined.Append(JsonValues.String(part, "text"));
                }
                text = joined.ToString();
            }
            else
            {
                return false;
            }
        }
        if (text.Length == 0 && JsonValues.String(message, "refusal") is { Length: > 0 } refusal)
        {
            text = refusal;
        }
        return true;
    }

    private static bool TryReadCalls(JsonElement message, out List<(string CallId, string Name, string Arguments)> calls)
    {
        calls = [];
        if (!JsonValues.TryGetValue(message, "tool_calls", out var toolCalls))
        {
            return true;
        }
        if (toolCalls.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var call in toolCalls.EnumerateArray())
        {
            if (!JsonValues.TryGetValue(call, "function", out var function) || JsonValues.String(function, "name") is not { } name)
            {
                return false;
            }
            // A provider that left out the id still needs one for the client's function_call_output to answer.
            calls.Add((JsonValues.String(call, "id") ?? $"call_{calls.Count}", name, JsonValues.String(function, "arguments") ?? "{}"));
        }
        return true;
    }
}
