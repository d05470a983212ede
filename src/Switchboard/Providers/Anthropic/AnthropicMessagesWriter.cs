using System.Text.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Turns OpenAI <c>messages</c> into Anthropic's <c>system</c> and <c>messages</c>: system and developer
/// messages become system blocks; tool results become <c>tool_result</c> blocks in a user turn; signed thinking
/// from earlier turns goes back first in its assistant turn; consecutive turns of one role become one turn.
/// </summary>
internal static class AnthropicMessagesWriter
{
    public static void WriteSystem(Utf8JsonWriter json, JsonElement messages)
    {
        var any = false;
        foreach (var message in messages.EnumerateArray())
        {
            if (Role(message) is not ("system" or "developer"))
            {
                continue;
            }
            if (!any)
            {
                json.WriteStartArray("system"u8);
                any = true;
            }
            WriteTextBlocks(json, message);
        }
        if (any)
        {
            json.WriteEndArray();
        }
    }

    public static void WriteMessages(Utf8JsonWriter json, JsonElement messages)
    {
        json.WriteStartArray("messages"u8);
        string? openRole = null;
        // Claude rejects empty assistant turns, so they are dropped before turns are merged.
        var items = messages.EnumerateArray()
            .Where(m => Role(m) is not ("system" or "developer") && !(Role(m) == "assistant" && IsEmptyAssistant(m)))
            .ToList();
        for (var i = 0; i < items.Count; i++)
        {
            var message = items[i];
            var role = Role(message) == "assistant" ? "assistant" : "user";
            if (role != openRole)
            {
                if (openRole is not null)
                {
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteStartObject();
                json.WriteString("role"u8, role);
                json.WriteStartArray("content"u8);
                openRole = role;
            }
            switch (Role(message))
            {
                case "assistant":
                    // A final assistant turn is a prefill, which Claude rejects with trailing whitespace.
                    WriteAssistant(json, message, trimTrailingWhitespace: i == items.Count - 1);
                    break;
                case "tool" or "function":
                    WriteToolResult(json, message);
                    break;
                default:
                    WriteUserContent(json, message);
                    break;
            }
        }
        if (openRole is not null)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteAssistant(Utf8JsonWriter json, JsonElement message, bool trimTrailingWhitespace)
    {
        // Thinking blocks must lead the turn and come back byte for byte, signature included.
        if (message.TryGetProperty("reasoning_details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            AnthropicThinking.WriteBlocks(json, details);
        }
        if (message.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                WriteText(json, trimTrailingWhitespace ? content.GetString()!.TrimEnd() : content.GetString()!, cacheControl: null);
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    WriteUserPart(json, part);
                }
            }
        }
        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.GetProperty("function");
                json.WriteStartObject();
                json.WriteString("type"u8, "tool_use");
                json.WriteString("id"u8, call.GetProperty("id").GetString());
                json.WriteString("name"u8, function.GetProperty("name").GetString());
                json.WritePropertyName("input"u8);
                WriteArgumentsObject(json, function.TryGetProperty("arguments", out var arguments) ? arguments : default);
                json.WriteEndObject();
            }
        }
    }

    private static void WriteToolResult(Utf8JsonWriter json, JsonElement message)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "tool_result");
        json.WriteString("tool_use_id"u8, message.TryGetProperty("tool_call_id", out var id) ? id.GetString() : "");
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            json.WriteStartArray("content"u8);
            foreach (var part in content.EnumerateArray())
            {
                WriteUserPart(json, part);
            }
            json.WriteEndArray();
        }
        else
        {
            json.WriteString("content"u8, content.ValueKind == JsonValueKind.String ? content.GetString() : "");
        }
        json.WriteEndObject();
    }

    private static void WriteUserContent(Utf8JsonWriter json, JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return;
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteText(json, content.GetString()!, cacheControl: null);
            return;
        }
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                WriteUserPart(json, part);
            }
        }
    }

    private static void WriteUserPart(Utf8JsonWriter json, JsonElement part)
    {
        var cacheControl = part.TryGetProperty("cache_control", out var cache) ? cache : (JsonElement?)null;
        var type = part.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "text":
                WriteText(json, part.GetProperty("text").GetString()!, cacheControl);
                break;
            case "image_url":
                var url = part.GetProperty("image_url") is { ValueKind: JsonValueKind.Object } image ? image.GetProperty("url").GetString()! : part.GetProperty("image_url").GetString()!;
                AnthropicImages.Write(json, url, cacheControl);
                break;
            case "file" when part.TryGetProperty("file", out var file) && file.TryGetProperty("file_data", out var data):
                AnthropicImages.WriteDocument(json, data.GetString()!, cacheControl);
                break;
            default:
                break; // audio and other parts have no Claude equivalent
        }
    }

    private static void WriteTextBlocks(Utf8JsonWriter json, JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return;
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteText(json, content.GetString()!, cacheControl: null);
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray().Where(p => p.TryGetProperty("text", out _)))
            {
                WriteText(json, part.GetProperty("text").GetString()!, part.TryGetProperty("cache_control", out var cache) ? cache : null);
            }
        }
    }

    private static void WriteText(Utf8JsonWriter json, string text, JsonElement? cacheControl)
    {
        if (text.Length == 0)
        {
            return; // Claude rejects empty text blocks
        }
        json.WriteStartObject();
        json.WriteString("type"u8, "text");
        json.WriteString("text"u8, text);
        if (cacheControl is { } cache)
        {
            json.WritePropertyName("cache_control"u8);
            cache.WriteTo(json);
        }
        json.WriteEndObject();
    }

    /// <summary>OpenAI sends tool arguments as a JSON string; Claude wants the object itself.</summary>
    private static void WriteArgumentsObject(Utf8JsonWriter json, JsonElement arguments)
    {
        if (arguments.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var parsed = JsonDocument.Parse(arguments.GetString()!);
                if (parsed.RootElement.ValueKind == JsonValueKind.Object)
                {
                    parsed.RootElement.WriteTo(json);
                    return;
                }
            }
            catch (JsonException)
            {
            }
        }
        else if (arguments.ValueKind == JsonValueKind.Object)
        {
            arguments.WriteTo(json);
            return;
        }
        json.WriteStartObject();
        json.WriteEndObject();
    }

    private static bool IsEmptyAssistant(JsonElement message)
    {
        var hasCalls = message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;
        var hasThinking = message.TryGetProperty("reasoning_details", out var details) && details.ValueKind == JsonValueKind.Array && details.GetArrayLength() > 0;
        var hasContent = message.TryGetProperty("content", out var content)
            && ((content.ValueKind == JsonValueKind.String && content.GetString()!.Trim().Length > 0) || (content.ValueKind == JsonValueKind.Array && content.GetArrayLength() > 0));
        return !hasCalls && !hasThinking && !hasContent;
    }

    private static string? Role(JsonElement message) => message.TryGetProperty("role", out var role) ? role.GetString() : null;
}
