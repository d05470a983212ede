using System.Text;
using System.Text.Json;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;
using Switchboard.Streaming;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Claude's named stream events, translated as they arrive. Content-block indexes count every block (thinking,
/// text, tools), so tool calls get their own OpenAI index, counted from 0 in the order Claude starts them.
/// </summary>
internal sealed class AnthropicStreamTranslator(ResponseIdentity identity, AnthropicJsonOutput? jsonOutput) : IChatStreamTranslator
{
    private readonly Dictionary<int, Block> _blocks = [];
    private readonly AnthropicUsage _usage = new();
    private int _toolCalls;
    private int _thinkingBlocks;
    private bool _usedJsonTool;
    private bool _stopped;
    private bool _roleSent;

    public TokenUsage? Usage { get; private set; }

    public string? FinishReason { get; private set; }

    public UpstreamFailure? Failure { get; private set; }

    public StreamStep OnEvent(in SseEvent sseEvent, ChunkWriter output)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(sseEvent.Data.Span);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            Failure = new UpstreamFailure(FailureKind.InvalidResponse, "Anthropic sent a stream event that is not valid JSON.", Raw: OpenAIErrors.Text(sseEvent.Data.Span));
            return StreamStep.Failed;
        }
        using (document)
        {
            var data = document.RootElement;
            var type = data.TryGetProperty("type", out var t) ? t.GetString() : Encoding.UTF8.GetString(sseEvent.Name.Span);
            switch (type)
            {
                case "message_start":
                    if (data.TryGetProperty("message", out var message) && message.TryGetProperty("usage", out var startUsage))
                    {
                        _usage.Read(startUsage);
                    }
                    return StreamStep.Continue; // the role goes out with the first content, see EnsureRole
                case "content_block_start":
                    EnsureRole(output);
                    StartBlock(data.GetProperty("index").GetInt32(), data.GetProperty("content_block"), output);
                    return StreamStep.Continue;
                case "content_block_delta":
                    EnsureRole(output);
                    Delta(data.GetProperty("index").GetInt32(), data.GetProperty("delta"), output);
                    return StreamStep.Continue;
                case "content_block_stop":
                    StopBlock(data.GetProperty("index").GetInt32(), output);
                    return StreamStep.Continue;
                case "message_delta":
                    EnsureRole(output);
                    MessageDelta(data, output);
                    return StreamStep.Continue;
                case "message_stop":
                    return Finish();
                case "error":
                    Failure = AnthropicErrors.FromEvent(sseEvent.Data.Span);
                    return StreamStep.Failed;
                default:
                    return StreamStep.Continue; // ping, and events added after this was written
            }
        }
    }

    public StreamStep OnEnd(ChunkWriter output)
    {
        if (_stopped)
        {
            return Finish();
        }
        Failure = new UpstreamFailure(FailureKind.Truncated, "Anthropic closed the stream before the message finished.");
        return StreamStep.Failed;
    }

    private void StartBlock(int index, JsonElement block, ChunkWriter output)
    {
        switch (block.GetProperty("type").GetString())
        {
            case "tool_use" when jsonOutput is not null && block.GetProperty("name").ValueEquals(AnthropicJsonOutput.ToolName):
                _usedJsonTool = true;
                _blocks[index] = new Block(BlockKind.JsonAnswer, 0);
                break;
            case "tool_use":
                var call = _toolCalls++;
                _blocks[index] = new Block(BlockKind.ToolCall, call);
                DeltaChunks.ToolCallStart(output, identity, call, block.GetProperty("id").GetString()!, block.GetProperty("name").GetString()!);
                break;
            case "thinking":
                _blocks[index] = new Block(BlockKind.Thinking, _thinkingBlocks++);
                break;
            case "redacted_thinking":
                DeltaChunks.Reasoning(output, identity, AnthropicThinking.Redacted(block.GetProperty("data").GetString()!, _thinkingBlocks++));
                break;
            case "text":
                _blocks[index] = new Block(BlockKind.Text, 0);
                if (block.TryGetProperty("text", out var initial) && initial.GetString() is { Length: > 0 } text)
                {
                    DeltaChunks.Content(output, identity, text);
                }
                break;
            default:
                break;
        }
    }

    private void Delta(int index, JsonElement delta, ChunkWriter output)
    {
        if (!_blocks.TryGetValue(index, out var block))
        {
            return;
        }
        switch (delta.GetProperty("type").GetString())
        {
            case "text_delta":
                DeltaChunks.Content(output, identity, delta.GetProperty("text").GetString()!);
                break;
            case "thinking_delta":
                DeltaChunks.Reasoning(output, identity, AnthropicThinking.Text(delta.GetProperty("thinking").GetString(), null, block.Ordinal));
                break;
            case "signature_delta":
                DeltaChunks.Reasoning(output, identity, AnthropicThinking.Text(null, delta.GetProperty("signature").GetString(), block.Ordinal));
                break;
            case "input_json_delta" when block.Kind == BlockKind.ToolCall:
                var fragment = delta.GetProperty("partial_json").GetString()!;
                if (fragment.Length > 0)
                {
                    block.Arguments.Append(fragment);
                    DeltaChunks.ToolCallArguments(output, identity, block.Ordinal, fragment);
                }
                break;
            case "input_json_delta" when block.Kind == BlockKind.JsonAnswer:
                var part = delta.GetProperty("partial_json").GetString()!;
                if (jsonOutput!.Wrapped)
                {
                    block.Arguments.Append(part); // unwrapped when the block is complete
                }
                else if (part.Length > 0)
                {
                    DeltaChunks.Content(output, identity, part); // the tool input is the answer, streamed as it comes
                }
                break;
            default:
                break;
        }
    }

    private void StopBlock(int index, ChunkWriter output)
    {
        if (!_blocks.TryGetValue(index, out var block))
        {
            return;
        }
        if (block.Kind == BlockKind.ToolCall && block.Arguments.Length == 0)
        {
            DeltaChunks.ToolCallArguments(output, identity, block.Ordinal, "{}"); // a call without arguments still needs valid JSON
        }
        else if (block.Kind == BlockKind.JsonAnswer && jsonOutput!.Wrapped && block.Arguments.Length > 0)
        {
            using var input = JsonDocument.Parse(block.Arguments.ToString());
            DeltaChunks.Content(output, identity, jsonOutput.ToContent(input.RootElement));
        }
    }

    private void MessageDelta(JsonElement data, ChunkWriter output)
    {
        if (data.TryGetProperty("usage", out var usage))
        {
            _usage.Read(usage);
        }
        if (data.TryGetProperty("delta", out var delta) && delta.TryGetProperty("stop_reason", out var stop) && stop.ValueKind == JsonValueKind.String)
        {
            var native = stop.GetString()!;
            FinishReason = _usedJsonTool && _toolCalls == 0 ? "stop" : FinishReasons.Normalize(native);
            DeltaChunks.Finish(output, identity, FinishReason, native);
            _stopped = true;
        }
    }

    /// <summary>
    /// The role chunk is held back until there is content: an error event right after <c>message_start</c> then
    /// finds nothing sent, so the attempt can still fall back to another endpoint.
    /// </summary>
    private void EnsureRole(ChunkWriter output)
    {
        if (!_roleSent)
        {
            DeltaChunks.Role(output, identity);
            _roleSent = true;
        }
    }

    private StreamStep Finish()
    {
        Usage = _usage.ToTokenUsage();
        if (FinishReason is null)
        {
            Failure = new UpstreamFailure(FailureKind.Truncated, "Anthropic ended the message without a stop reason.");
            return StreamStep.Failed;
        }
        return StreamStep.Done;
    }

    private enum BlockKind
    {
        Text,
        Thinking,
        ToolCall,
        JsonAnswer,
    }

    private sealed class Block(BlockKind kind, int ordinal)
    {
        public BlockKind Kind { get; } = kind;

        /// <summary>The OpenAI tool-call index, or the thinking block's reasoning_details index.</summary>
        public int Ordinal { get; } = ordinal;

        public StringBuilder Arguments { get; } = new();
    }
}
