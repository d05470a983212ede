using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Turns OpenAI <c>messages</c> into Anthropic's <c>system</c> and <c>messages</c>: system and developer
/// messages become system blocks; tool results become <c>tool_result</c> blocks in a user turn; signed thinking
/// from earlier turns goes back first in its assistant turn; consecutive turns of one role become one turn.
/// The parser has checked the shapes (<see cref="Requests.MessageFields"/>); every read here still tolerates any JSON
/// type, so that a shape the parser lets through cannot throw.
/// </summary>
internal static class AnthropicMessagesWriter
{
    public static void WriteSystem(Utf8JsonWriter json, JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return;
        }
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
        if (messages.ValueKind != JsonValueKind.Array)
        {
            json.WriteEndArray();
            return;
        }
        string? openRole = null;
        // The ids of the tool_use blocks in the last assistant turn: Claude refuses a tool_result that answers none of them.
        var calls = new HashSet<string>(StringComparer.Ordinal);
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
                if (role == "assistant")
                {
                    calls.Clear();
                }
            }
            switch (Role(message))
            {
                case "assistant":
                    // A final assistant turn is a prefill, which Claude rejects with trailing whitespace.
                    WriteAssistant(json, message, trimTrailingWhitespace: i == items.Count - 1, calls);
                    break;
                case "tool" or "function":
                    WriteToolResult(json, message, calls);
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

    private static void WriteAssistant(Utf8JsonWriter json, JsonElement message, bool trimTrailingWhitespace, HashSet<string> callIds)
    {
        // Thinking blocks must lead the turn and come back byte for byte, signature included.
        if (JsonElements.TryGet(message, "reasoning_details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            AnthropicThinking.WriteBlocks(json, details);
        }
        if (JsonElements.TryGet(message, "content", out var content))
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
        if (JsonElements.TryGet(message, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                // Calls of custom tools have no Claude form.
                if (!JsonElements.TryGetObject(call, "function", out var function) || JsonElements.String(function, "name") is not { } name)
                {
                    continue;
                }
                var id = JsonElements.String(call, "id") ?? "";
                callIds.Add(id);
                json.WriteStartObject();
                json.WriteString("type"u8, "tool_use");
                json.WriteString("id"u8, id);
                json.WriteString("name"u8, name);
                json.WritePropertyName("input"u8);
                WriteArgumentsObject(json, JsonElements.TryGet(function, "arguments", out var arguments) ? arguments : default);
                json.WriteEndObject();
            }
        }
    }

    /// <summary>
    /// A tool's output as the <c>tool_result</c> of its call; a result for no call of the turn before (a legacy
    /// <c>function</c> message, a call id the history no longer has) as text, which Claude takes where it refuses the block.
    /// </summary>
    private static void WriteToolResult(Utf8JsonWriter json, JsonElement message, HashSet<string> callIds)
    {
        JsonElements.TryGet(message, "content", out var content);
        var id = JsonElements.String(message, "tool_call_id");
        if (id is null || !callIds.Contains(id))
        {
            var source = id is not null ? $"tool call {id}" : $"function {JsonElements.String(message, "name") ?? "call"}";
            WriteText(json, $"Result of {source}: {JsonElements.Text(content)}", cacheControl: null);
            return;
        }
        json.WriteStartObject();
        json.WriteString("type"u8, "tool_result");
        json.WriteString("tool_use_id"u8, id);
        if (content.ValueKind == JsonValueKind.Array)
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
        if (!JsonElements.TryGet(message, "content", out var content))
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
        var cacheControl = CacheControl(part);
        switch (JsonElements.String(part, "type"))
        {
            case "text" when JsonElements.String(part, "text") is { } text:
                WriteText(json, text, cacheControl);
                break;
            case "image_url" when (JsonElements.String(part, "image_url") ?? ImageUrl(part)) is { } url:
                AnthropicImages.Write(json, url, cacheControl);
                break;
            case "file" when JsonElements.TryGetObject(part, "file", out var file) && JsonElements.String(file, "file_data") is { } data:
                AnthropicImages.WriteDocument(json, data, cacheControl);
                break;
            default:
                break; // audio and other parts have no Claude equivalent
        }
    }

    private static void WriteTextBlocks(Utf8JsonWriter json, JsonElement message)
    {
        if (!JsonElements.TryGet(message, "content", out var content))
        {
            return;
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteText(json, content.GetString()!, cacheControl: null);
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (JsonElements.String(part, "text") is { } text)
                {
                    WriteText(json, text, CacheControl(part));
                }
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
            using var parsed = JsonText.TryParse(arguments.GetString()!, ChatRequestParser.MaxDepth);
            if (parsed?.RootElement.ValueKind == JsonValueKind.Object)
            {
                parsed.RootElement.WriteTo(json);
                return;
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
        var hasCalls = JsonElements.TryGet(message, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;
        var hasThinking = JsonElements.TryGet(message, "reasoning_details", out var details) && details.ValueKind == JsonValueKind.Array && details.GetArrayLength() > 0;
        var hasContent = JsonElements.TryGet(message, "content", out var content)
            && ((content.ValueKind == JsonValueKind.String && content.GetString()!.Trim().Length > 0) || (content.ValueKind == JsonValueKind.Array && content.GetArrayLength() > 0));
        return !hasCalls && !hasThinking && !hasContent;
    }

    private static string? Role(JsonElement message) => JsonElements.String(message, "role");

    private static JsonElement? CacheControl(JsonElement part) =>
        JsonElements.TryGetObject(part, "cache_control", out var cache) ? cache : null;

    private static string? ImageUrl(JsonElement part) =>
        JsonElements.TryGetObject(part, "image_url", out var image) ? JsonElements.String(image, "url") : null;
}
