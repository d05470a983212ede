using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;
using Switchboard.Requests;
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
        using var document = JsonText.TryParse(sseEvent.Data.Span);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } data)
        {
            return Invalid("Anthropic sent a stream event that is not a JSON object.", sseEvent.Data.Span);
        }
        var type = JsonElements.String(data, "type") ?? Encoding.UTF8.GetString(sseEvent.Name.Span);
        // An event of a known type without the fields the protocol gives it is a broken stream, not a bug of ours.
        var step = type switch
        {
            "message_start" => MessageStart(data),
            "content_block_start" => JsonElements.Int32(data, "index") is { } index && JsonElements.TryGetObject(data, "content_block", out var block)
                ? StartBlock(index, block, output)
                : StreamStep.Failed,
            "content_block_delta" => JsonElements.Int32(data, "index") is { } index && JsonElements.TryGetObject(data, "delta", out var delta)
                ? Delta(index, delta, output)
                : StreamStep.Failed,
            "content_block_stop" => JsonElements.Int32(data, "index") is { } index ? StopBlock(index, output) : StreamStep.Failed,
            "message_delta" => MessageDelta(data, output),
            "message_stop" => Finish(),
            "error" => Fail(AnthropicErrors.FromEvent(sseEvent.Data.Span)),
            _ => StreamStep.Continue, // ping, and events added after this was written
        };
        if (step == StreamStep.Failed && Failure is null)
        {
            return Invalid($"Anthropic sent a {type} event that lacks the fields the protocol gives it.", sseEvent.Data.Span);
        }
        return step;
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

    private StreamStep MessageStart(JsonElement data)
    {
        if (JsonElements.TryGetObject(data, "message", out var message) && JsonElements.TryGet(message, "usage", out var usage))
        {
            _usage.Read(usage);
        }
        return StreamStep.Continue; // the role goes out with the first content, see EnsureRole
    }

    private StreamStep StartBlock(int index, JsonElement block, ChunkWriter output)
    {
        switch (JsonElements.String(block, "type"))
        {
            case null:
                return StreamStep.Failed;
            case "tool_use" when jsonOutput is not null && JsonElements.String(block, "name") == AnthropicJsonOutput.ToolName:
                EnsureRole(output);
                _usedJsonTool = true;
                _blocks[index] = new Block(BlockKind.JsonAnswer, 0);
                break;
            case "tool_use":
                if (JsonElements.String(block, "id") is not { } id || JsonElements.String(block, "name") is not { } name)
                {
                    return StreamStep.Failed;
                }
                EnsureRole(output);
                var call = _toolCalls++;
                _blocks[index] = new Block(BlockKind.ToolCall, call);
                DeltaChunks.ToolCallStart(output, identity, call, id, name);
                break;
            case "thinking":
                EnsureRole(output);
                _blocks[index] = new Block(BlockKind.Thinking, _thinkingBlocks++);
                break;
            case "redacted_thinking":
                if (JsonElements.String(block, "data") is not { } data)
                {
                    return StreamStep.Failed;
                }
                EnsureRole(output);
                DeltaChunks.Reasoning(output, identity, AnthropicThinking.Redacted(data, _thinkingBlocks++));
                break;
            case "text":
                EnsureRole(output);
                _blocks[index] = new Block(BlockKind.Text, 0);
                if (JsonElements.String(block, "text") is { Length: > 0 } text)
                {
                    DeltaChunks.Content(output, identity, text);
                }
                break;
            default:
                EnsureRole(output);
                break;
        }
        return StreamStep.Continue;
    }

    private StreamStep Delta(int index, JsonElement delta, ChunkWriter output)
    {
        var type = JsonElements.String(delta, "type");
        if (type is null)
        {
            return StreamStep.Failed;
        }
        EnsureRole(output);
        if (!_blocks.TryGetValue(index, out var block))
        {
            return StreamStep.Continue;
        }
        // Each delta type carries its payload in one string field; a delta without it is not Anthropic's protocol.
        var field = type switch
        {
            "text_delta" => "text",
            "thinking_delta" => "thinking",
            "signature_delta" => "signature",
            "input_json_delta" => "partial_json",
            _ => null,
        };
        if (field is null)
        {
            return StreamStep.Continue; // citations, and deltas added after this was written
        }
        if (JsonElements.String(delta, field) is not { } value)
        {
            return StreamStep.Failed;
        }
        switch (type)
        {
            case "text_delta":
                DeltaChunks.Content(output, identity, value);
                break;
            case "thinking_delta":
                DeltaChunks.Reasoning(output, identity, AnthropicThinking.Text(value, null, block.Ordinal));
                break;
            case "signature_delta":
                DeltaChunks.Reasoning(output, identity, AnthropicThinking.Text(null, value, block.Ordinal));
                break;
            case "input_json_delta" when block.Kind == BlockKind.ToolCall:
                if (value.Length > 0)
                {
                    block.Arguments.Append(value);
                    DeltaChunks.ToolCallArguments(output, identity, block.Ordinal, value);
                }
                break;
            case "input_json_delta" when block.Kind == BlockKind.JsonAnswer:
                if (jsonOutput!.Wrapped)
                {
                    block.Arguments.Append(value); // unwrapped when the block is complete
                }
                else if (value.Length > 0)
                {
                    DeltaChunks.Content(output, identity, value); // the tool input is the answer, streamed as it comes
                }
                break;
        }
        return StreamStep.Continue;
    }

    private StreamStep StopBlock(int index, ChunkWriter output)
    {
        if (!_blocks.TryGetValue(index, out var block))
        {
            return StreamStep.Continue;
        }
        if (block.Kind == BlockKind.ToolCall && block.Arguments.Length == 0)
        {
            DeltaChunks.ToolCallArguments(output, identity, block.Ordinal, "{}"); // a call without arguments still needs valid JSON
        }
        else if (block.Kind == BlockKind.JsonAnswer && jsonOutput!.Wrapped && block.Arguments.Length > 0)
        {
            using var input = JsonText.TryParse(block.Arguments.ToString(), ChatRequestParser.MaxDepth);
            if (input is null)
            {
                return Fail(new UpstreamFailure(FailureKind.InvalidResponse, "Anthropic's JSON answer is not valid JSON.", Raw: block.Arguments.ToString()));
            }
            DeltaChunks.Content(output, identity, jsonOutput.ToContent(input.RootElement));
        }
        return StreamStep.Continue;
    }

    private StreamStep MessageDelta(JsonElement data, ChunkWriter output)
    {
        EnsureRole(output);
        if (JsonElements.TryGet(data, "usage", out var usage))
        {
            _usage.Read(usage);
        }
        if (JsonElements.TryGetObject(data, "delta", out var delta) && JsonElements.String(delta, "stop_reason") is { } native)
        {
            FinishReason = _usedJsonTool && _toolCalls == 0 ? "stop" : FinishReasons.Normalize(native);
            DeltaChunks.Finish(output, identity, FinishReason, native);
            _stopped = true;
        }
        return StreamStep.Continue;
    }

    private StreamStep Fail(UpstreamFailure failure)
    {
        Failure = failure;
        return StreamStep.Failed;
    }

    private StreamStep Invalid(string message, ReadOnlySpan<byte> data) =>
        Fail(new UpstreamFailure(FailureKind.InvalidResponse, message, Raw: OpenAIErrors.Text(data)));

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
