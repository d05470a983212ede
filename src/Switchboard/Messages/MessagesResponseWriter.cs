using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// The gateway's <c>chat.completion</c> as an Anthropic <c>Message</c>: thinking first (Anthropic's order, which
/// clients keep when they send the turn back), then the text, then one <c>tool_use</c> block per tool call.
/// </summary>
internal static class MessagesResponseWriter
{
    /// <summary>A complete OpenAI chat.completion (usage included) -> an Anthropic Message object.</summary>
    /// <returns>
    /// False, with nothing written, for a completion that cannot become a Message: not JSON, no choice, fields of the
    /// wrong type, a tool call without a name or with arguments that are not a JSON object. The caller treats that as
    /// an invalid upstream response. Writes through <see cref="ThreadJsonWriter"/>.
    /// </returns>
    public static bool TryWrite(ReadOnlySpan<byte> completion, IBufferWriter<byte> output)
    {
        using var document = JsonText.TryParse(completion);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root
            || !JsonValues.TryGetValue(root, "choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
            || !JsonValues.TryGetValue(choices[0], "message", out var message) || message.ValueKind != JsonValueKind.Object
            || !TryReadText(message, out var text))
        {
            return false;
        }
        var inputs = new List<JsonDocument?>();
        try
        {
            // Everything that can fail is read before anything is written.
            if (!TryReadToolInputs(message, inputs))
            {
                return false;
            }
            var json = ThreadJsonWriter.Over(output);
            json.WriteStartObject();
            json.WriteString("id"u8, JsonValues.String(root, "id") ?? "");
            json.WriteString("type"u8, "message");
            json.WriteString("role"u8, "assistant");
            json.WriteString("model"u8, JsonValues.String(root, "model") ?? "");
            json.WriteStartArray("content"u8);
            WriteThinking(json, message);
            if (text.Length > 0)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "text");
                json.WriteString("text"u8, text);
                json.WriteEndObject();
            }
            WriteToolUses(json, message, inputs);
            json.WriteEndArray();
            json.WriteString("stop_reason"u8, MessagesOutcome.StopReason(JsonValues.String(choices[0], "finish_reason"), JsonValues.String(choices[0], "native_finish_reason")));
            json.WriteNull("stop_sequence"u8);
            JsonValues.TryGetValue(root, "usage", out var usage);
            MessagesOutcome.WriteUsage(json, usage);
            json.WriteEndObject();
            json.Flush();
            return true;
        }
        finally
        {
            foreach (var input in inputs)
            {
                input?.Dispose();
            }
        }
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

    /// <summary>
    /// Each call's arguments parsed (null for empty or JSON null arguments, which mean no input): Anthropic's
    /// <c>input</c> is an object, not a string, so arguments that are not one leave nothing honest to write.
    /// </summary>
    private static bool TryReadToolInputs(JsonElement message, List<JsonDocument?> inputs)
    {
        if (!JsonValues.TryGetValue(message, "tool_calls", out var calls))
        {
            return true;
        }
        if (calls.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var call in calls.EnumerateArray())
        {
            if (!JsonValues.TryGetValue(call, "function", out var function) || JsonValues.String(function, "name") is null)
            {
                return false;
            }
            JsonValues.TryGetValue(function, "arguments", out var arguments);
            if (arguments.ValueKind == JsonValueKind.Undefined || arguments.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(arguments.GetString()))
            {
                inputs.Add(null);
                continue;
            }
            if (arguments.ValueKind != JsonValueKind.String)
            {
                return false;
            }
            var input = JsonText.TryParse(arguments.GetString()!, MessagesRequestTranslator.MaxDepth);
            inputs.Add(input);
            if (input is null || input.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return false;
            }
        }
        return true;
    }

    private static void WriteToolUses(Utf8JsonWriter json, JsonElement message, List<JsonDocument?> inputs)
    {
        if (inputs.Count == 0)
        {
            return;
        }
        var i = 0;
        foreach (var call in message.GetProperty("tool_calls").EnumerateArray())
        {
            var function = call.GetProperty("function");
            json.WriteStartObject();
            json.WriteString("type"u8, "tool_use");
            // A provider that left out the id still needs one for the client's tool_result to answer.
            json.WriteString("id"u8, JsonValues.String(call, "id") ?? $"call_{i}");
            json.WriteString("name"u8, JsonValues.String(function, "name"));
            MessagesOutcome.WriteDirectCaller(json);
            json.WritePropertyName("input"u8);
            if (inputs[i] is { RootElement.ValueKind: JsonValueKind.Object } input)
            {
                input.RootElement.WriteTo(json);
            }
            else
            {
                json.WriteStartObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            i++;
        }
    }

    /// <summary>
    /// <c>reasoning_details</c> as thinking blocks. Consecutive entries of one <c>index</c> are one block (a stream
    /// assembled into a completion may hold the text and the signature as separate entries); the plain
    /// <c>reasoning</c> text stands in when the entries carry no text of their own.
    /// </summary>
    private static void WriteThinking(Utf8JsonWriter json, JsonElement message)
    {
        JsonValues.TryGetValue(message, "reasoning_details", out var details);
        var entries = details.ValueKind == JsonValueKind.Array ? details.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList() : [];
        var blocks = new List<(string? Data, StringBuilder Text, string? Signature, int? Index)>();
        foreach (var entry in entries)
        {
            var index = JsonValues.TryGetValue(entry, "index", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var value) ? value : (int?)null;
            switch (JsonValues.String(entry, "type"))
            {
                case "reasoning.encrypted" when JsonValues.String(entry, "data") is { Length: > 0 } data:
                    blocks.Add((data, new StringBuilder(), null, index));
                    break;
                case "reasoning.text" or "reasoning.summary":
                    var text = JsonValues.String(entry, "text") ?? JsonValues.String(entry, "summary");
                    var signature = JsonValues.String(entry, "signature");
                    if (blocks.Count > 0 && blocks[^1] is { Data: null } last && index is not null && last.Index == index)
                    {
                        last.Text.Append(text);
                        blocks[^1] = last with { Signature = signature ?? last.Signature };
                    }
                    else if (!string.IsNullOrEmpty(text) || !string.IsNullOrEmpty(signature))
                    {
                        blocks.Add((null, new StringBuilder(text), signature, index));
                    }
                    break;
            }
        }
        if (!blocks.Any(b => b.Data is null && b.Text.Length > 0) && JsonValues.String(message, "reasoning") is { Length: > 0 } reasoning)
        {
            // Onto the first thinking block that has only a signature, else as a block of its own, first.
            var signed = blocks.FindIndex(b => b.Data is null);
            if (signed >= 0)
            {
                blocks[signed].Text.Append(reasoning);
            }
            else
            {
                blocks.Insert(0, (null, new StringBuilder(reasoning), null, null));
            }
        }
        foreach (var (data, text, signature, _) in blocks)
        {
            json.WriteStartObject();
            if (data is not null)
            {
                json.WriteString("type"u8, "redacted_thinking");
                json.WriteString("data"u8, data);
            }
            else
            {
                json.WriteString("type"u8, "thinking");
                json.WriteString("thinking"u8, text.ToString());
                json.WriteString("signature"u8, signature ?? "");
            }
            json.WriteEndObject();
        }
    }
}
