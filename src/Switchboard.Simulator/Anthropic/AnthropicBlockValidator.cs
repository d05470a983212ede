using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>One request content block: its type must be known and carry that type's required fields.</summary>
internal static class AnthropicBlockValidator
{
    private const string KnownTypes = "'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'";

    public static string? Validate(JsonElement block, string path, out string? type)
    {
        type = RequestJson.String(block, "type");
        if (block.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: Input should be a valid dictionary";
        }

        return type switch
        {
            null => $"{path}.type: Field required",
            "text" => Text(block, path),
            "image" => AnthropicSourceValidator.Image(block, $"{path}.image"),
            "document" => AnthropicSourceValidator.Document(block, $"{path}.document"),
            "tool_use" => Required(block, $"{path}.tool_use", "id", "name") ?? Input(block, $"{path}.tool_use"),
            "tool_result" => Required(block, $"{path}.tool_result", "tool_use_id") ?? ToolResultContent(block, $"{path}.tool_result"),
            // Thinking must come back exactly as received, signature included, or the API refuses the turn.
            "thinking" => Required(block, $"{path}.thinking", "thinking", "signature"),
            "redacted_thinking" => Required(block, $"{path}.redacted_thinking", "data"),
            _ => $"{path}: Input tag '{type}' found using 'type' does not match any of the expected tags: {KnownTypes}",
        };
    }

    private static string? Text(JsonElement block, string path) =>
        Required(block, $"{path}.text", "text")
        ?? (block.GetProperty("text").GetString()!.Length == 0 ? "messages: text content blocks must be non-empty" : null);

    private static string? Input(JsonElement block, string path) =>
        block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object
            ? null
            : $"{path}.input: Input should be a valid dictionary";

    private static string? ToolResultContent(JsonElement block, string path)
    {
        if (!RequestJson.TryGet(block, "content", out var content) || content.ValueKind == JsonValueKind.String)
        {
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return $"{path}.content: Input should be a valid string or a valid list";
        }

        var index = 0;
        foreach (var item in content.EnumerateArray())
        {
            if (RequestJson.String(item, "type") is not ("text" or "image" or "document" or "search_result"))
            {
                return $"{path}.content.{index}: Input tag '{RequestJson.String(item, "type")}' found using 'type' does not "
                    + "match any of the expected tags: 'text', 'image', 'search_result', 'document'";
            }

            index++;
        }

        return null;
    }

    /// <summary>Each named field must be a string.</summary>
    public static string? Required(JsonElement element, string path, params ReadOnlySpan<string> fields)
    {
        foreach (var field in fields)
        {
            if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return $"{path}.{field}: Field required";
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                return $"{path}.{field}: Input should be a valid string";
            }
        }

        return null;
    }
}
