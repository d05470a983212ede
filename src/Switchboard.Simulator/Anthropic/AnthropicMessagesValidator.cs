using System.Text.Json;

namespace Switchboard.Simulator.Anthropic;

/// <summary><c>messages</c>: roles, non-empty content, known content blocks, then tool_use/tool_result pairing.</summary>
internal static class AnthropicMessagesValidator
{
    /// <param name="systemMessages">The mid-conversation-system beta: <c>system</c> messages with text content are allowed.</param>
    /// <param name="historyUsesTools">true when any message holds a tool_use or tool_result block.</param>
    public static string? Validate(JsonElement messages, bool systemMessages, out bool historyUsesTools)
    {
        historyUsesTools = false;
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return "messages: Input should be a valid list";
        }

        var count = messages.GetArrayLength();
        if (count == 0)
        {
            return "messages: List should have at least 1 item after validation, not 0";
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var error = ValidateMessage(message, $"messages.{index}", isLast: index == count - 1, systemMessages, ref historyUsesTools);
            if (error is not null)
            {
                return error;
            }

            index++;
        }

        return historyUsesTools ? AnthropicToolPairing.Validate(messages) : null;
    }

    private static string? ValidateMessage(JsonElement message, string path, bool isLast, bool systemMessages, ref bool usesTools)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: Input should be a valid dictionary";
        }

        if (!message.TryGetProperty("role", out var role))
        {
            return $"{path}.role: Field required";
        }

        // There is no system role (unless the mid-conversation-system beta is on): a system prompt translated into a
        // message instead of the top-level field lands here.
        if (systemMessages && role.ValueEquals("system"))
        {
            return message.TryGetProperty("content", out var text) && text.ValueKind is JsonValueKind.String or JsonValueKind.Array
                ? null
                : $"{path}.content: Field required";
        }
        if (role.ValueKind != JsonValueKind.String || role.GetString() is not ("user" or "assistant"))
        {
            return $"{path}.role: Input should be 'user' or 'assistant'";
        }

        if (!message.TryGetProperty("content", out var content))
        {
            return $"{path}.content: Field required";
        }

        // Only a final assistant message (a prefill) may be empty.
        var mayBeEmpty = isLast && role.ValueEquals("assistant");
        const string EmptyContent = "all messages must have non-empty content except for the optional final assistant message";
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!.Length == 0 && !mayBeEmpty ? $"{path}: {EmptyContent}" : null;
            case JsonValueKind.Array:
                if (content.GetArrayLength() == 0 && !mayBeEmpty)
                {
                    return $"{path}: {EmptyContent}";
                }

                var blockIndex = 0;
                foreach (var block in content.EnumerateArray())
                {
                    var error = AnthropicBlockValidator.Validate(block, $"{path}.content.{blockIndex}", out var type);
                    if (error is not null)
                    {
                        return error;
                    }

                    usesTools |= type is "tool_use" or "tool_result";
                    blockIndex++;
                }

                return null;
            default:
                return $"{path}.content: Input should be a valid string or a valid list";
        }
    }
}
