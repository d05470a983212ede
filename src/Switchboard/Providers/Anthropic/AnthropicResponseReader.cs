using System.Text.Json;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;

namespace Switchboard.Providers.Anthropic;

/// <summary>Reads a Claude <c>Message</c> into an OpenAI choice: text, thinking, tool calls, finish reason and usage.</summary>
internal static class AnthropicResponseReader
{
    public static (TranslatedChoice Choice, TokenUsage Usage)? Read(ReadOnlySpan<byte> body, AnthropicJsonOutput? jsonOutput, out UpstreamFailure? failure)
    {
        failure = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            failure = new UpstreamFailure(FailureKind.InvalidResponse, "Anthropic returned a response that is not valid JSON.", Raw: OpenAIErrors.Text(body));
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error", out _) || !root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                failure = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out _)
                    ? AnthropicErrors.FromEvent(body)
                    : new UpstreamFailure(FailureKind.InvalidResponse, "Anthropic returned a response that is not a message.", Raw: OpenAIErrors.Text(body));
                return null;
            }

            var choice = new TranslatedChoice();
            var usedJsonTool = false;
            var thinkingIndex = 0;
            foreach (var block in content.EnumerateArray())
            {
                switch (block.GetProperty("type").GetString())
                {
                    case "text":
                        choice.Text.Append(block.GetProperty("text").GetString());
                        break;
                    case "thinking":
                        var thought = block.GetProperty("thinking").GetString();
                        choice.Reasoning.Append(thought);
                        choice.ReasoningDetails.Add(AnthropicThinking.Text(thought, block.TryGetProperty("signature", out var s) ? s.GetString() : null, thinkingIndex++));
                        break;
                    case "redacted_thinking":
                        choice.ReasoningDetails.Add(AnthropicThinking.Redacted(block.GetProperty("data").GetString()!, thinkingIndex++));
                        break;
                    case "tool_use" when jsonOutput is not null && block.GetProperty("name").ValueEquals(AnthropicJsonOutput.ToolName):
                        choice.Text.Append(jsonOutput.ToContent(block.GetProperty("input")));
                        usedJsonTool = true;
                        break;
                    case "tool_use":
                        choice.ToolCalls.Add(new TranslatedToolCall(
                            block.GetProperty("id").GetString()!, block.GetProperty("name").GetString()!, block.GetProperty("input").GetRawText()));
                        break;
                    default:
                        break; // server tool blocks and citations have no chat-completions form
                }
            }

            var native = root.TryGetProperty("stop_reason", out var stop) && stop.ValueKind == JsonValueKind.String ? stop.GetString()! : "end_turn";
            choice.NativeFinishReason = native;
            choice.FinishReason = usedJsonTool && choice.ToolCalls.Count == 0 ? "stop" : FinishReasons.Normalize(native);
            var usage = new AnthropicUsage();
            if (root.TryGetProperty("usage", out var usageElement))
            {
                usage.Read(usageElement);
            }
            return (choice, usage.ToTokenUsage());
        }
    }
}
