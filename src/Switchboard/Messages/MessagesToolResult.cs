using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// A <c>tool_result</c> block as an OpenAI <c>tool</c> message. Its text blocks are joined into the message's
/// string content, the form every OpenAI-compatible provider accepts; images and documents cannot go in a tool
/// message, so they are handed back to go in a user message right after the turn's tool messages.
/// </summary>
/// <remarks>
/// <c>is_error</c> has no OpenAI counterpart and is dropped: the content goes as the tool returned it, with no
/// "Error:" prefix. Tools that fail say so in their text (Claude Code sends <c>&lt;tool_use_error&gt;…</c>), and a
/// prefix would put words in the result the tool never wrote. The result's own <c>cache_control</c> has nowhere to
/// go in a string content and is dropped too.
/// </remarks>
internal static class MessagesToolResult
{
    public static string? Write(Utf8JsonWriter json, JsonElement block, string path, List<(JsonElement Block, string Path)> media)
    {
        if (JsonValues.String(block, "tool_use_id") is not { } id)
        {
            return $"{path}.tool_use_id: must be a string";
        }
        if (JsonValues.TryGetValue(block, "is_error", out var isError) && isError.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return $"{path}.is_error: must be a boolean";
        }
        var text = "";
        if (JsonValues.TryGetValue(block, "content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString()!;
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var texts = new List<string>();
                var i = 0;
                foreach (var item in content.EnumerateArray())
                {
                    var itemPath = $"{path}.content[{i++}]";
                    switch (JsonValues.String(item, "type"))
                    {
                        case "text":
                            if (JsonValues.String(item, "text") is not { } fragment)
                            {
                                return $"{itemPath}.text: must be a string";
                            }
                            texts.Add(fragment);
                            break;
                        case "image" or "document":
                            media.Add((item, itemPath));
                            break;
                        default:
                            return MessagesConversation.UnexpectedBlock(item, JsonValues.String(item, "type"), itemPath, "a tool result");
                    }
                }
                text = string.Join("\n\n", texts);
            }
            else
            {
                return $"{path}.content: must be a string or an array of content blocks";
            }
        }
        json.WriteStartObject();
        json.WriteString("role"u8, "tool");
        json.WriteString("tool_call_id"u8, id);
        json.WriteString("content"u8, text);
        json.WriteEndObject();
        return null;
    }
}
