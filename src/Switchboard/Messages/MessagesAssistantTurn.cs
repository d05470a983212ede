using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// An assistant turn as one OpenAI assistant message: text as <c>content</c>, <c>tool_use</c> blocks as
/// <c>tool_calls</c>, and thinking as OpenRouter's <c>reasoning_details</c>, signatures included, so a provider that
/// checks them gets them back unchanged.
/// </summary>
internal static class MessagesAssistantTurn
{
    private static readonly JsonWriterOptions ArgumentsOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Write(Utf8JsonWriter json, JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            json.WriteStartObject();
            json.WriteString("role"u8, "assistant");
            json.WriteString("content"u8, content.GetString());
            json.WriteEndObject();
            return null;
        }
        if (Check(content, path, out var texts, out var calls, out var thinking, out var cached) is { } error)
        {
            return error;
        }
        json.WriteStartObject();
        json.WriteString("role"u8, "assistant");
        if (texts == 0)
        {
            // OpenAI wants content or tool calls; with calls, null content is its own shape for "calls only".
            json.WritePropertyName("content"u8);
            if (calls > 0)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStringValue("");
            }
        }
        else if (cached)
        {
            json.WriteStartArray("content"u8);
            foreach (var block in Blocks(content, "text"))
            {
                MessagesConversation.WriteTextPart(json, JsonValues.String(block, "text")!, block);
            }
            json.WriteEndArray();
        }
        else
        {
            // Claude splits one answer into several text blocks around citations, so they join with nothing between.
            json.WriteString("content"u8, string.Concat(Blocks(content, "text").Select(b => JsonValues.String(b, "text"))));
        }
        if (calls > 0)
        {
            WriteToolCalls(json, content);
        }
        if (thinking > 0)
        {
            WriteReasoningDetails(json, content);
        }
        json.WriteEndObject();
        return null;
    }

    /// <summary>Checks every block before anything is written, counting what the message will hold.</summary>
    private static string? Check(JsonElement content, string path, out int texts, out int calls, out int thinking, out bool cached)
    {
        (texts, calls, thinking, cached) = (0, 0, 0, false);
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{i++}]";
            var type = JsonValues.String(block, "type");
            switch (type)
            {
                case "text":
                    if (JsonValues.String(block, "text") is null)
                    {
                        return $"{blockPath}.text: must be a string";
                    }
                    if (MessagesConversation.CacheControl(block, blockPath, out var cacheControl) is { } cacheError)
                    {
                        return cacheError;
                    }
                    cached |= cacheControl.ValueKind == JsonValueKind.Object;
                    texts++;
                    break;
                case "tool_use":
                    if (JsonValues.String(block, "id") is null)
                    {
                        return $"{blockPath}.id: must be a string";
                    }
                    if (JsonValues.String(block, "name") is null)
                    {
                        return $"{blockPath}.name: must be a string";
                    }
                    if (!JsonValues.TryGetValue(block, "input", out var input) || input.ValueKind != JsonValueKind.Object)
                    {
                        return $"{blockPath}.input: must be an object";
                    }
                    calls++;
                    break;
                case "thinking":
                    if (JsonValues.String(block, "thinking") is null)
                    {
                        return $"{blockPath}.thinking: must be a string";
                    }
                    if (JsonValues.TryGetValue(block, "signature", out var signature) && signature.ValueKind != JsonValueKind.String)
                    {
                        return $"{blockPath}.signature: must be a string";
                    }
                    thinking++;
                    break;
                case "redacted_thinking":
                    if (JsonValues.String(block, "data") is null)
                    {
                        return $"{blockPath}.data: must be a string";
                    }
                    thinking++;
                    break;
                default:
                    return MessagesConversation.UnexpectedBlock(block, type, blockPath, "an assistant turn");
            }
        }
        return null;
    }

    private static void WriteToolCalls(Utf8JsonWriter json, JsonElement content)
    {
        var arguments = new ArrayBufferWriter<byte>(256);
        using var argumentsJson = new Utf8JsonWriter(arguments, ArgumentsOptions);
        json.WriteStartArray("tool_calls"u8);
        foreach (var block in Blocks(content, "tool_use"))
        {
            // OpenAI carries arguments as a JSON string; compact, as a model would have written them.
            arguments.ResetWrittenCount();
            argumentsJson.Reset(arguments);
            block.GetProperty("input").WriteTo(argumentsJson);
            argumentsJson.Flush();

            json.WriteStartObject();
            json.WriteString("id"u8, JsonValues.String(block, "id"));
            json.WriteString("type"u8, "function");
            json.WriteStartObject("function"u8);
            json.WriteString("name"u8, JsonValues.String(block, "name"));
            json.WriteString("arguments"u8, arguments.WrittenSpan);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// Each thinking block is one entry with its own <c>index</c>: translations back to a provider join the entries
    /// of one index into one block, so without it every block of the turn would merge into the first.
    /// </summary>
    private static void WriteReasoningDetails(Utf8JsonWriter json, JsonElement content)
    {
        json.WriteStartArray("reasoning_details"u8);
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var type = JsonValues.String(block, "type");
            if (type is not ("thinking" or "redacted_thinking"))
            {
                continue;
            }
            json.WriteStartObject();
            if (type == "thinking")
            {
                json.WriteString("type"u8, "reasoning.text");
                json.WriteString("text"u8, JsonValues.String(block, "thinking"));
                if (JsonValues.String(block, "signature") is { Length: > 0 } signature)
                {
                    json.WriteString("signature"u8, signature);
                }
            }
            else
            {
                json.WriteString("type"u8, "reasoning.encrypted");
                json.WriteString("data"u8, JsonValues.String(block, "data"));
            }
            json.WriteNumber("index"u8, index++);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static IEnumerable<JsonElement> Blocks(JsonElement content, string type) =>
        content.EnumerateArray().Where(b => JsonValues.String(b, "type") == type);
}
