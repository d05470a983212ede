using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Reads a Claude <c>Message</c> into an OpenAI choice: text, thinking, tool calls, finish reason and usage. A body
/// that parses but is not the message the protocol promises (a block without its type or payload) is a failure of
/// the provider, like malformed JSON, so the attempt falls over to the next endpoint.
/// </summary>
internal static class AnthropicResponseReader
{
    public static (TranslatedChoice Choice, TokenUsage Usage)? Read(ReadOnlySpan<byte> body, AnthropicJsonOutput? jsonOutput, out UpstreamFailure? failure)
    {
        failure = null;
        using var document = JsonText.TryParse(body);
        if (document is null)
        {
            failure = Invalid("Anthropic returned a response that is not valid JSON.", body);
            return null;
        }
        var root = document.RootElement;
        if (JsonElements.TryGet(root, "error", out _))
        {
            failure = AnthropicErrors.FromEvent(body);
            return null;
        }
        if (!JsonElements.TryGet(root, "content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            failure = Invalid("Anthropic returned a response that is not a message.", body);
            return null;
        }

        var choice = new TranslatedChoice();
        var usedJsonTool = false;
        var thinkingIndex = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (!ReadBlock(block, jsonOutput, choice, ref thinkingIndex, ref usedJsonTool))
            {
                failure = Invalid("Anthropic returned a content block without the fields the protocol gives it.", body);
                return null;
            }
        }

        var native = JsonElements.String(root, "stop_reason") ?? "end_turn";
        choice.NativeFinishReason = native;
        choice.FinishReason = usedJsonTool && choice.ToolCalls.Count == 0 ? "stop" : FinishReasons.Normalize(native);
        var usage = new AnthropicUsage();
        if (JsonElements.TryGet(root, "usage", out var usageElement))
        {
            usage.Read(usageElement);
        }
        return (choice, usage.ToTokenUsage());
    }

    /// <returns>False when the block lacks what its type requires.</returns>
    private static bool ReadBlock(JsonElement block, AnthropicJsonOutput? jsonOutput, TranslatedChoice choice, ref int thinkingIndex, ref bool usedJsonTool)
    {
        switch (JsonElements.String(block, "type"))
        {
            case null:
                return false;
            case "text":
                if (JsonElements.String(block, "text") is not { } text)
                {
                    return false;
                }
                choice.Text.Append(text);
                return true;
            case "thinking":
                if (JsonElements.String(block, "thinking") is not { } thought)
                {
                    return false;
                }
                choice.Reasoning.Append(thought);
                choice.ReasoningDetails.Add(AnthropicThinking.Text(thought, JsonElements.String(block, "signature"), thinkingIndex++));
                return true;
            case "redacted_thinking":
                if (JsonElements.String(block, "data") is not { } data)
                {
                    return false;
                }
                choice.ReasoningDetails.Add(AnthropicThinking.Redacted(data, thinkingIndex++));
                return true;
            case "tool_use":
                if (JsonElements.String(block, "name") is not { } name || !JsonElements.TryGetObject(block, "input", out var input))
                {
                    return false;
                }
                if (jsonOutput is not null && name == AnthropicJsonOutput.ToolName)
                {
                    choice.Text.Append(jsonOutput.ToContent(input));
                    usedJsonTool = true;
                    return true;
                }
                if (JsonElements.String(block, "id") is not { } id)
                {
                    return false;
                }
                choice.ToolCalls.Add(new TranslatedToolCall(id, name, input.GetRawText()));
                return true;
            default:
                return true; // server tool blocks and citations have no chat-completions form
        }
    }

    private static UpstreamFailure Invalid(string message, ReadOnlySpan<byte> body) =>
        new(FailureKind.InvalidResponse, message, Raw: OpenAIErrors.Text(body));
}
