using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// Anthropic's <c>system</c> and <c>messages</c> as OpenAI chat messages. A user turn may hold tool results and its
/// own content; OpenAI wants tool messages right after the assistant message that made the calls, so a user turn
/// becomes its tool messages first, then a user message with any images the tool results returned (a tool message
/// carries text only), then a user message with the turn's own content.
/// </summary>
internal static class MessagesConversation
{
    /// <summary>Blocks Anthropic knows that only Claude can act on: server tools and their results.</summary>
    private static readonly HashSet<string> ClaudeOnlyBlocks =
        ["server_tool_use", "mcp_tool_use", "mcp_tool_result", "container_upload", "search_result", "tool_reference"];

    /// <summary>Writes the system message, if any, as the first element of the <c>messages</c> array.</summary>
    public static string? WriteSystem(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "system", out var system))
        {
            return null;
        }
        if (system.ValueKind == JsonValueKind.String)
        {
            if (system.GetString() is { Length: > 0 } text)
            {
                json.WriteStartObject();
                json.WriteString("role"u8, "system");
                json.WriteString("content"u8, text);
                json.WriteEndObject();
            }
            return null;
        }
        if (system.ValueKind != JsonValueKind.Array)
        {
            return "system: must be a string or an array of text blocks";
        }
        var cached = false;
        var i = 0;
        foreach (var block in system.EnumerateArray())
        {
            if (JsonValues.String(block, "type") != "text" || JsonValues.String(block, "text") is null)
            {
                return $"system[{i}]: must be a text block such as {{\"type\":\"text\",\"text\":\"…\"}}";
            }
            if (CacheControl(block, $"system[{i}]", out var cacheControl) is { } error)
            {
                return error;
            }
            cached |= cacheControl.ValueKind == JsonValueKind.Object;
            i++;
        }
        if (i == 0)
        {
            return null;
        }
        json.WriteStartObject();
        json.WriteString("role"u8, "system");
        if (cached)
        {
            // A cache breakpoint on a system block is the commonest one; text parts keep it where it was.
            json.WriteStartArray("content"u8);
            foreach (var block in system.EnumerateArray())
            {
                WriteTextPart(json, JsonValues.String(block, "text")!, block);
            }
            json.WriteEndArray();
        }
        else
        {
            json.WriteString("content"u8, string.Join("\n\n", system.EnumerateArray().Select(b => JsonValues.String(b, "text"))));
        }
        json.WriteEndObject();
        return null;
    }

    public static string? WriteMessages(Utf8JsonWriter json, JsonElement messages)
    {
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{i}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                return $"{path}: must be an object with role and content";
            }
            var role = JsonValues.String(message, "role");
            if (role is not ("user" or "assistant" or "system"))
            {
                return $"{path}.role: must be \"user\", \"assistant\" or \"system\"";
            }
            if (!JsonValues.TryGetValue(message, "content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                return $"{path}.content: must be a string or an array of content blocks";
            }
            var error = role switch
            {
                "user" => WriteUserTurn(json, content, path),
                "assistant" => MessagesAssistantTurn.Write(json, content, path),
                // Anthropic's mid-conversation-system beta (Claude Code sends it): instructions between turns.
                _ => WriteSystemTurn(json, content, path),
            };
            if (error is not null)
            {
                return error;
            }
            i++;
        }
        return null;
    }

    private static string? WriteSystemTurn(Utf8JsonWriter json, JsonElement content, string path)
    {
        var text = content.ValueKind == JsonValueKind.String ? content.GetString() : null;
        if (text is null)
        {
            var parts = new List<string>();
            foreach (var block in content.EnumerateArray())
            {
                if (JsonValues.String(block, "type") != "text" || JsonValues.String(block, "text") is not { } part)
                {
                    return $"{path}.content: a system message holds text blocks only";
                }
                parts.Add(part);
            }
            text = string.Join("\n\n", parts);
        }
        json.WriteStartObject();
        json.WriteString("role"u8, "system");
        json.WriteString("content"u8, text);
        json.WriteEndObject();
        return null;
    }

    private static string? WriteUserTurn(Utf8JsonWriter json, JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            json.WriteStartObject();
            json.WriteString("role"u8, "user");
            json.WriteString("content"u8, content.GetString());
            json.WriteEndObject();
            return null;
        }
        // A user turn's tool results first: OpenAI wants tool messages right after the calls they answer.
        var media = new List<(JsonElement Block, string Path)>();
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{i++}]";
            if (JsonValues.String(block, "type") == "tool_result" && MessagesToolResult.Write(json, block, blockPath, media) is { } error)
            {
                return error;
            }
        }
        if (media.Count > 0)
        {
            json.WriteStartObject();
            json.WriteString("role"u8, "user");
            json.WriteStartArray("content"u8);
            foreach (var (block, blockPath) in media)
            {
                if (WritePart(json, block, blockPath) is { } error)
                {
                    return error;
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }

        var own = content.EnumerateArray().Count(b => JsonValues.String(b, "type") != "tool_result");
        if (own == 0 && content.GetArrayLength() > 0)
        {
            return null; // a turn of tool results only
        }
        json.WriteStartObject();
        json.WriteString("role"u8, "user");
        json.WriteStartArray("content"u8);
        i = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{i++}]";
            if (JsonValues.String(block, "type") != "tool_result" && WritePart(json, block, blockPath) is { } error)
            {
                return error;
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        return null;
    }

    /// <summary>A <c>text</c>, <c>image</c> or <c>document</c> block as one or more OpenAI content parts.</summary>
    public static string? WritePart(Utf8JsonWriter json, JsonElement block, string path)
    {
        switch (JsonValues.String(block, "type"))
        {
            case "text":
                if (JsonValues.String(block, "text") is not { } text)
                {
                    return $"{path}.text: must be a string";
                }
                if (CacheControl(block, path, out _) is { } error)
                {
                    return error;
                }
                WriteTextPart(json, text, block);
                return null;
            case "image":
                return MessagesMedia.WriteImage(json, block, path);
            case "document":
                return MessagesMedia.WriteDocument(json, block, path);
            default:
                return UnexpectedBlock(block, JsonValues.String(block, "type"), path, "a user turn");
        }
    }

    /// <summary>A text part, with the block's <c>cache_control</c> when it has one: OpenRouter reads it on content parts.</summary>
    public static void WriteTextPart(Utf8JsonWriter json, string text, JsonElement block)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "text");
        json.WriteString("text"u8, text);
        if (JsonValues.TryGetValue(block, "cache_control", out var cacheControl) && cacheControl.ValueKind == JsonValueKind.Object)
        {
            json.WritePropertyName("cache_control"u8);
            cacheControl.WriteTo(json);
        }
        json.WriteEndObject();
    }

    /// <summary>The block's <c>cache_control</c>, which must be an object when present.</summary>
    public static string? CacheControl(JsonElement block, string path, out JsonElement cacheControl)
    {
        if (JsonValues.TryGetValue(block, "cache_control", out cacheControl) && cacheControl.ValueKind != JsonValueKind.Object)
        {
            return $"{path}.cache_control: must be an object such as {{\"type\":\"ephemeral\"}}";
        }
        return null;
    }

    /// <summary>The error for a block that has no place <paramref name="where"/> ("a user turn"), or that is not a block at all.</summary>
    public static string UnexpectedBlock(JsonElement block, string? type, string path, string where)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: must be a content block object";
        }
        if (type is null)
        {
            return $"{path}.type: must be a string";
        }
        if (ClaudeOnlyBlocks.Contains(type) || type.EndsWith("_tool_result", StringComparison.Ordinal))
        {
            return $"{path}: block type '{type}' is only available on Claude models";
        }
        return type is "text" or "image" or "document" or "tool_use" or "tool_result" or "thinking" or "redacted_thinking"
            ? $"{path}: a '{type}' block cannot be in {where}"
            : $"{path}: unknown block type '{type}'";
    }
}
