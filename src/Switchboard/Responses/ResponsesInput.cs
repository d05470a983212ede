using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// <c>instructions</c> and <c>input</c> as chat <c>messages</c>. Input is a string (one user message) or a list of
/// items in conversation order: messages, and the assistant's own output sent back (<c>output_text</c> messages,
/// <c>function_call</c> and <c>reasoning</c> items), which chat holds as one assistant message; a
/// <c>function_call_output</c> is a tool message answering its call by <c>call_id</c>. <c>developer</c> becomes
/// <c>system</c>, which every provider protocol understands.
/// </summary>
internal static class ResponsesInput
{
    public static string? Write(Utf8JsonWriter json, JsonElement request)
    {
        if (JsonValues.TryGetValue(request, "instructions", out var instructions))
        {
            if (instructions.ValueKind != JsonValueKind.String)
            {
                return "instructions: must be a string";
            }
            if (instructions.GetString() is { Length: > 0 } text)
            {
                json.WriteStartObject();
                json.WriteString("role"u8, "system");
                json.WriteString("content"u8, text);
                json.WriteEndObject();
            }
        }
        if (!JsonValues.TryGetValue(request, "input", out var input))
        {
            return "input: required, a string or an array of input items";
        }
        if (input.ValueKind == JsonValueKind.String)
        {
            json.WriteStartObject();
            json.WriteString("role"u8, "user");
            json.WriteString("content"u8, input.GetString());
            json.WriteEndObject();
            return null;
        }
        if (input.ValueKind != JsonValueKind.Array)
        {
            return $"input: must be a string or an array of input items, not {Describe(input.ValueKind)}";
        }
        if (input.GetArrayLength() == 0)
        {
            return "input: must contain at least one item";
        }
        var turn = new AssistantTurn();
        var i = 0;
        foreach (var item in input.EnumerateArray())
        {
            if (WriteItem(json, item, $"input[{i}]", turn) is { } error)
            {
                return error;
            }
            i++;
        }
        turn.Flush(json);
        return null;
    }

    private static string? WriteItem(Utf8JsonWriter json, JsonElement item, string path, AssistantTurn turn)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: must be an object";
        }
        // An item without a type but with a role is a message (OpenAI's "easy input message").
        var type = JsonValues.String(item, "type") ?? (JsonValues.TryGetValue(item, "role", out _) ? "message" : null);
        switch (type)
        {
            case "message":
                return WriteMessage(json, item, path, turn);
            case "function_call":
                return turn.AddCall(item, path);
            case "reasoning":
                return turn.AddReasoning(item, path);
            case "function_call_output":
                turn.Flush(json);
                return WriteCallOutput(json, item, path);
            case "item_reference":
                return $"{path}: item_reference is not supported; this gateway's Responses API is stateless, so send the item itself";
            case null:
                return $"{path}.type: required, such as \"message\" or \"function_call_output\"";
            case var other:
                return $"{path}.type: '{other}' items are not supported; only message, function_call, function_call_output and reasoning are";
        }
    }

    private static string? WriteMessage(Utf8JsonWriter json, JsonElement item, string path, AssistantTurn turn)
    {
        var role = JsonValues.String(item, "role");
        if (role is not ("user" or "assistant" or "system" or "developer"))
        {
            return $"{path}.role: must be one of user, assistant, system, developer";
        }
        if (!JsonValues.TryGetValue(item, "content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return $"{path}.content: required, a string or an array of content parts";
        }
        if (role == "assistant")
        {
            return turn.AddText(content, path);
        }
        turn.Flush(json);
        json.WriteStartObject();
        json.WriteString("role"u8, role == "user" ? "user" : "system");
        if (content.ValueKind == JsonValueKind.String)
        {
            json.WriteString("content"u8, content.GetString());
        }
        else if (role == "user")
        {
            json.WritePropertyName("content"u8);
            if (ResponsesContent.WriteParts(json, content, $"{path}.content") is { } error)
            {
                return error;
            }
        }
        else
        {
            // System text is text: parts that are not say so.
            if (ResponsesContent.JoinText(content, $"{path}.content", out var text) is { } error)
            {
                return error;
            }
            json.WriteString("content"u8, text);
        }
        json.WriteEndObject();
        return null;
    }

    private static string? WriteCallOutput(Utf8JsonWriter json, JsonElement item, string path)
    {
        if (JsonValues.String(item, "call_id") is not { Length: > 0 } callId)
        {
            return $"{path}.call_id: required, the call_id of the function_call it answers";
        }
        if (!JsonValues.TryGetValue(item, "output", out var output) || output.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return $"{path}.output: required, a string or an array of content parts";
        }
        json.WriteStartObject();
        json.WriteString("role"u8, "tool");
        json.WriteString("tool_call_id"u8, callId);
        if (output.ValueKind == JsonValueKind.String)
        {
            json.WriteString("content"u8, output.GetString());
        }
        else
        {
            json.WritePropertyName("content"u8);
            if (ResponsesContent.WriteParts(json, output, $"{path}.output") is { } error)
            {
                return error;
            }
        }
        json.WriteEndObject();
        return null;
    }

    /// <summary>
    /// The assistant's items between two other messages, which chat holds as one message: its text, its tool calls,
    /// and the reasoning that came before them (as <c>reasoning_details</c>, which the provider protocols send back).
    /// </summary>
    private sealed class AssistantTurn
    {
        private readonly StringBuilder _text = new();
        private readonly List<JsonElement> _calls = [];
        private readonly List<(string? Summary, string? Encrypted, string? Entries)> _reasoning = [];
        private bool _any;

        public string? AddText(JsonElement content, string path)
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                _text.Append(content.GetString());
            }
            else if (ResponsesContent.JoinText(content, $"{path}.content", out var text) is { } error)
            {
                return error;
            }
            else
            {
                _text.Append(text);
            }
            _any = true;
            return null;
        }

        public string? AddCall(JsonElement item, string path)
        {
            if (JsonValues.String(item, "call_id") is not { Length: > 0 })
            {
                return $"{path}.call_id: required, a non-empty string";
            }
            if (JsonValues.String(item, "name") is not { Length: > 0 })
            {
                return $"{path}.name: required, a non-empty string";
            }
            if (JsonValues.TryGetValue(item, "arguments", out var arguments) && arguments.ValueKind != JsonValueKind.String)
            {
                return $"{path}.arguments: must be a string of JSON";
            }
            _calls.Add(item);
            _any = true;
            return null;
        }

        /// <summary>A summary and encrypted content are kept; reasoning with neither has nothing a provider could use.</summary>
        public string? AddReasoning(JsonElement item, string path)
        {
            StringBuilder? summary = null;
            if (JsonValues.TryGetValue(item, "summary", out var parts))
            {
                if (parts.ValueKind != JsonValueKind.Array)
                {
                    return $"{path}.summary: must be an array of summary_text parts";
                }
                foreach (var part in parts.EnumerateArray())
                {
                    if (JsonValues.String(part, "text") is not { } text)
                    {
                        return $"{path}.summary: each part must be {{\"type\":\"summary_text\",\"text\":…}}";
                    }
                    (summary ??= new StringBuilder()).Append(summary.Length > 0 ? "\n\n" : "").Append(text);
                }
            }
            if (JsonValues.TryGetValue(item, "encrypted_content", out var encrypted) && encrypted.ValueKind != JsonValueKind.String)
            {
                return $"{path}.encrypted_content: must be a string";
            }
            var data = encrypted.ValueKind == JsonValueKind.String ? encrypted.GetString() : null;
            if (data is not null && ResponsesReasoningEnvelope.TryUnwrap(data, out var entries))
            {
                // The gateway's own envelope: the provider's entries go back exactly as they came, signatures included;
                // the summary is their text again, so it is not sent twice.
                using (entries)
                {
                    _reasoning.Add((null, null, entries!.RootElement.GetRawText()));
                }
            }
            else if (summary is { Length: > 0 } || data is { Length: > 0 })
            {
                _reasoning.Add((summary?.ToString(), data, null));
            }
            return null;
        }

        public void Flush(Utf8JsonWriter json)
        {
            if (!_any)
            {
                // Reasoning with no answer after it is dropped: chat has no place for it on its own.
                _reasoning.Clear();
                return;
            }
            json.WriteStartObject();
            json.WriteString("role"u8, "assistant");
            if (_text.Length > 0)
            {
                json.WriteString("content"u8, _text.ToString());
            }
            else
            {
                json.WriteNull("content"u8);
            }
            if (_calls.Count > 0)
            {
                json.WriteStartArray("tool_calls"u8);
                foreach (var call in _calls)
                {
                    json.WriteStartObject();
                    json.WriteString("id"u8, JsonValues.String(call, "call_id"));
                    json.WriteString("type"u8, "function");
                    json.WriteStartObject("function"u8);
                    json.WriteString("name"u8, JsonValues.String(call, "name"));
                    json.WriteString("arguments"u8, JsonValues.String(call, "arguments") is { Length: > 0 } arguments ? arguments : "{}");
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            if (_reasoning.Count > 0)
            {
                json.WriteStartArray("reasoning_details"u8);
                var index = 0;
                foreach (var (summary, encrypted, entries) in _reasoning)
                {
                    if (entries is not null)
                    {
                        using var replayed = JsonDocument.Parse(entries);
                        foreach (var entry in replayed.RootElement.EnumerateArray())
                        {
                            entry.WriteTo(json);
                        }
                        continue;
                    }
                    if (summary is not null)
                    {
                        json.WriteStartObject();
                        json.WriteString("type"u8, "reasoning.summary");
                        json.WriteString("summary"u8, summary);
                        json.WriteNumber("index"u8, index);
                        json.WriteEndObject();
                    }
                    if (encrypted is not null)
                    {
                        json.WriteStartObject();
                        json.WriteString("type"u8, "reasoning.encrypted");
                        json.WriteString("data"u8, encrypted);
                        json.WriteNumber("index"u8, index);
                        json.WriteEndObject();
                    }
                    index++;
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
            _text.Clear();
            _calls.Clear();
            _reasoning.Clear();
            _any = false;
        }
    }

    /// <summary>What a wrong value is, for an error message.</summary>
    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
