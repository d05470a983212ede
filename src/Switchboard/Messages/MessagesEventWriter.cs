using System.Buffers;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// The gateway's OpenAI stream (<c>chat.completion.chunk</c> objects) as Anthropic's named SSE events, written as
/// each chunk arrives. OpenAI streams content, reasoning and tool calls as parallel fields of one delta; Anthropic
/// streams one content block at a time, so a change of kind closes the open block and opens the next, with block
/// indexes counted from 0 in the order they open.
/// </summary>
/// <remarks>
/// Writes through <see cref="ThreadJsonWriter"/>: call it synchronously, not while that writer is in use elsewhere.
/// Parallel tool calls whose argument fragments interleave cannot each stay the open block; a fragment for a call
/// whose block was already closed is sent as a delta on that block's index, which is how Anthropic's SDKs assemble
/// input (by index), rather than held back, which would buffer the stream.
/// </remarks>
internal sealed class MessagesEventWriter(IBufferWriter<byte> output) : Streaming.IDialectEvents
{
    private readonly MessagesEvents _events = new(output);
    /// <summary>OpenAI tool-call index → the block index of its <c>tool_use</c> block.</summary>
    private readonly Dictionary<int, int> _toolBlocks = [];
    private BlockKind _open;
    private int _openIndex;
    /// <summary>The <c>reasoning_details</c> index the open thinking block stands for, when the chunks gave one.</summary>
    private int? _openDetail;
    /// <summary>Whether the open thinking block has its signature, after which more thinking is a new block.</summary>
    private bool _openSigned;
    private int _nextBlock;
    private int? _lastToolCall;
    private bool _started;
    private string? _finishReason;
    private string? _nativeFinishReason;

    /// <summary>True once message_stop or an error event has been written.</summary>
    public bool Ended { get; private set; }

    /// <summary>One chunk's JSON (the payload of a <c>data:</c> line; never "[DONE]"). Writes zero or more complete SSE events.</summary>
    public void OnChunk(ReadOnlySpan<byte> chunk)
    {
        if (Ended)
        {
            return;
        }
        // A chunk that is not JSON, or whose strings are not text, carries nothing that can be written on.
        using var document = JsonText.TryParse(chunk);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return;
        }
        if (!_started)
        {
            MessageStart(root);
        }
        if (JsonValues.TryGetValue(root, "error", out var error))
        {
            Error(error);
            return;
        }
        if (JsonValues.TryGetValue(root, "choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (JsonValues.TryGetValue(choice, "delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                Delta(delta);
            }
            // Remembered, not acted on: the usage chunk that follows is what ends the message.
            if (JsonValues.String(choice, "finish_reason") is { } finishReason)
            {
                _finishReason = finishReason;
                _nativeFinishReason = JsonValues.String(choice, "native_finish_reason");
            }
        }
        if (JsonValues.TryGetValue(root, "usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            Finish(usage);
        }
    }

    /// <summary>
    /// The client already has a <c>message_start</c> (a Claude endpoint's own, passed through): a chunk written after
    /// this, such as an error, must not start another message.
    /// </summary>
    public void MarkStarted() => _started = true;

    /// <summary><c>event: ping\ndata: {"type": "ping"}\n\n</c>, byte for byte as Anthropic sends it; nothing once ended.</summary>
    public void WriteKeepAlive()
    {
        if (!Ended)
        {
            _events.Ping();
        }
    }

    private void MessageStart(JsonElement chunk)
    {
        _started = true;
        var json = _events.Begin("message_start"u8);
        json.WriteStartObject("message"u8);
        json.WriteString("id"u8, JsonValues.String(chunk, "id") ?? "");
        json.WriteString("type"u8, "message");
        json.WriteString("role"u8, "assistant");
        json.WriteString("model"u8, JsonValues.String(chunk, "model") ?? "");
        json.WriteStartArray("content"u8);
        json.WriteEndArray();
        json.WriteNull("stop_reason"u8);
        json.WriteNull("stop_sequence"u8);
        // Input tokens are known only from the final usage chunk; message_delta carries them then.
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, 0);
        json.WriteNumber("output_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteEndObject();
        _events.End(json);
    }

    private void Delta(JsonElement delta)
    {
        // Models think before they answer, so a chunk carrying both is written in that order.
        Reasoning(delta);
        if (JsonValues.String(delta, "content") is { Length: > 0 } text)
        {
            Text(text);
        }
        if (JsonValues.String(delta, "refusal") is { Length: > 0 } refusal)
        {
            Text(refusal);
        }
        if (JsonValues.TryGetValue(delta, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                ToolCall(call);
            }
        }
    }

    /// <summary>
    /// The gateway writes reasoning twice in one chunk, as <c>reasoning</c> text and as a <c>reasoning_details</c>
    /// entry; the entry is preferred because it also carries the block's index and signature.
    /// </summary>
    private void Reasoning(JsonElement delta)
    {
        JsonValues.TryGetValue(delta, "reasoning_details", out var details);
        var entries = details.ValueKind == JsonValueKind.Array ? details.EnumerateArray().ToArray() : [];
        var entriesHaveText = entries.Any(e => ThinkingText(e) is { Length: > 0 });
        if (!entriesHaveText && JsonValues.String(delta, "reasoning") is { Length: > 0 } reasoning)
        {
            Thinking(reasoning, null);
        }
        foreach (var entry in entries)
        {
            var index = JsonValues.TryGetValue(entry, "index", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : (int?)null;
            if (JsonValues.String(entry, "type") == "reasoning.encrypted")
            {
                if (JsonValues.String(entry, "data") is { Length: > 0 } data)
                {
                    Redacted(data);
                }
                continue;
            }
            if (ThinkingText(entry) is { Length: > 0 } text)
            {
                Thinking(text, index);
            }
            if (JsonValues.String(entry, "signature") is { Length: > 0 } signature)
            {
                Signature(signature, index);
            }
        }
    }

    /// <summary>The text of a <c>reasoning.text</c> entry, or the summary of a <c>reasoning.summary</c> one.</summary>
    private static string? ThinkingText(JsonElement entry) => JsonValues.String(entry, "type") switch
    {
        "reasoning.text" => JsonValues.String(entry, "text"),
        "reasoning.summary" => JsonValues.String(entry, "summary"),
        _ => null,
    };

    private void Thinking(string text, int? detail)
    {
        if (!(IsOpenThinking(detail) && !_openSigned))
        {
            OpenThinking(detail);
        }
        _openDetail ??= detail;
        var json = _events.BeginBlockDelta(_openIndex, "thinking_delta"u8);
        json.WriteString("thinking"u8, text);
        _events.EndNested(json);
    }

    private void Signature(string signature, int? detail)
    {
        if (!IsOpenThinking(detail))
        {
            OpenThinking(detail);
        }
        var json = _events.BeginBlockDelta(_openIndex, "signature_delta"u8);
        json.WriteString("signature"u8, signature);
        _events.EndNested(json);
        _openSigned = true;
    }

    /// <summary>A thinking block is open, and it is the one for <paramref name="detail"/> as far as the indexes say.</summary>
    private bool IsOpenThinking(int? detail) => _open == BlockKind.Thinking && (detail is null || _openDetail is null || detail == _openDetail);

    private void OpenThinking(int? detail)
    {
        var json = Open(BlockKind.Thinking);
        json.WriteString("type"u8, "thinking");
        json.WriteString("thinking"u8, "");
        json.WriteString("signature"u8, "");
        _events.EndNested(json);
        (_openDetail, _openSigned) = (detail, false);
    }

    /// <summary>Encrypted reasoning arrives whole, so its block opens and closes at once.</summary>
    private void Redacted(string data)
    {
        var json = Open(BlockKind.Redacted);
        json.WriteString("type"u8, "redacted_thinking");
        json.WriteString("data"u8, data);
        _events.EndNested(json);
        CloseOpen();
    }

    private void Text(string text)
    {
        if (_open != BlockKind.Text)
        {
            var start = Open(BlockKind.Text);
            start.WriteString("type"u8, "text");
            start.WriteString("text"u8, "");
            _events.EndNested(start);
        }
        var json = _events.BeginBlockDelta(_openIndex, "text_delta"u8);
        json.WriteString("text"u8, text);
        _events.EndNested(json);
    }

    /// <summary>
    /// A tool-call fragment. Fragments belong to calls by <c>index</c> (OpenAI's rule); a provider that leaves the
    /// index out gets a new call for a fragment with an id and the latest call for one without.
    /// </summary>
    private void ToolCall(JsonElement call)
    {
        var id = JsonValues.String(call, "id");
        JsonValues.TryGetValue(call, "function", out var function);
        var name = JsonValues.String(function, "name");
        int key;
        if (JsonValues.TryGetValue(call, "index", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var given))
        {
            key = given;
        }
        else if (id is not null || _lastToolCall is null)
        {
            key = _toolBlocks.Count == 0 ? 0 : _toolBlocks.Keys.Max() + 1;
        }
        else
        {
            key = _lastToolCall.Value;
        }
        _lastToolCall = key;
        if (!_toolBlocks.TryGetValue(key, out var block))
        {
            var json = Open(BlockKind.ToolUse);
            json.WriteString("type"u8, "tool_use");
            // A call whose first fragment lacks its id still needs one, for the client's tool_result to answer.
            json.WriteString("id"u8, id ?? $"call_{key}");
            json.WriteString("name"u8, name ?? "");
            MessagesOutcome.WriteDirectCaller(json);
            json.WriteStartObject("input"u8);
            json.WriteEndObject();
            _events.EndNested(json);
            block = _openIndex;
            _toolBlocks[key] = block;
        }
        if (JsonValues.String(function, "arguments") is { Length: > 0 } arguments)
        {
            var json = _events.BeginBlockDelta(block, "input_json_delta"u8);
            json.WriteString("partial_json"u8, arguments);
            _events.EndNested(json);
        }
    }

    private void Finish(JsonElement usage)
    {
        CloseOpen();
        var json = _events.Begin("message_delta"u8);
        json.WriteStartObject("delta"u8);
        json.WriteString("stop_reason"u8, MessagesOutcome.StopReason(_finishReason, _nativeFinishReason));
        json.WriteNull("stop_sequence"u8);
        json.WriteEndObject();
        MessagesOutcome.WriteUsage(json, usage);
        _events.End(json);
        _events.End(_events.Begin("message_stop"u8));
        Ended = true;
    }

    /// <summary>
    /// Anthropic's mid-stream error: no block is closed and no message_stop follows, so no client takes the
    /// message for complete.
    /// </summary>
    private void Error(JsonElement error)
    {
        var status = 0;
        string? message = null;
        if (error.ValueKind == JsonValueKind.Object)
        {
            if (JsonValues.TryGetValue(error, "code", out var code))
            {
                // OpenRouter's code is the HTTP status; some providers send it as a string.
                _ = code.ValueKind == JsonValueKind.Number ? code.TryGetInt32(out status)
                    : code.ValueKind == JsonValueKind.String && int.TryParse(code.GetString(), out status);
            }
            message = JsonValues.String(error, "message");
        }
        else if (error.ValueKind == JsonValueKind.String)
        {
            message = error.GetString();
        }
        var json = _events.Begin("error"u8);
        json.WriteStartObject("error"u8);
        json.WriteString("type"u8, AnthropicErrorTypes.FromStatus(status));
        json.WriteString("message"u8, string.IsNullOrEmpty(message) ? "The upstream provider failed." : message);
        json.WriteEndObject();
        _events.End(json);
        Ended = true;
    }

    /// <summary>Closes the open block and starts the next; the caller writes the block, then <see cref="MessagesEvents.EndNested"/>.</summary>
    private Utf8JsonWriter Open(BlockKind kind)
    {
        CloseOpen();
        (_open, _openIndex) = (kind, _nextBlock++);
        return _events.BeginBlockStart(_openIndex);
    }

    private void CloseOpen()
    {
        if (_open == BlockKind.None)
        {
            return;
        }
        _events.BlockStop(_openIndex);
        _open = BlockKind.None;
    }

    private enum BlockKind
    {
        None,
        Text,
        Thinking,
        Redacted,
        ToolUse,
    }
}
