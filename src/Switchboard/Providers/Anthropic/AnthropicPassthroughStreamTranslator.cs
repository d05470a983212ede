using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Claude's events for a Messages API client, forwarded as they arrive with our id and model in
/// <c>message_start</c>. Two events are held back: <c>message_start</c> until the first content event, so that an
/// error right after it can still fall back to another endpoint; and <c>message_stop</c>, which the attempt sends
/// once the charge is committed. Upstream pings are dropped: the gateway sends its own while the stream is quiet.
/// </summary>
internal sealed class AnthropicPassthroughStreamTranslator(ResponseIdentity identity) : IChatStreamTranslator
{
    private readonly AnthropicUsage _usage = new();
    private byte[]? _messageStart;
    private bool _started;
    private bool _stopped;
    private long _generatedBytes;
    private string? _stopReason;

    public TokenUsage? Usage { get; private set; }

    public string? FinishReason { get; private set; }

    public UpstreamFailure? Failure { get; private set; }

    public StreamStep OnEvent(in SseEvent sseEvent, ChunkWriter output)
    {
        var data = sseEvent.Data.Span;
        using var document = JsonText.TryParse(data);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return Fail(new UpstreamFailure(FailureKind.InvalidResponse, "Anthropic sent a stream event that is not a JSON object.", Raw: OpenAIErrors.Text(data)));
        }
        var type = JsonElements.String(root, "type") ?? Encoding.UTF8.GetString(sseEvent.Name.Span);
        switch (type)
        {
            case "ping":
                return StreamStep.Continue;
            case "error":
                return Fail(AnthropicErrors.FromEvent(data));
            case "message_start":
                if (!JsonElements.TryGetObject(root, "message", out var message))
                {
                    return Fail(new UpstreamFailure(FailureKind.InvalidResponse, "Anthropic sent a message_start event without a message.", Raw: OpenAIErrors.Text(data)));
                }
                if (JsonElements.TryGet(message, "usage", out var startUsage))
                {
                    _usage.Read(startUsage);
                }
                _messageStart = RestampStart(message);
                return StreamStep.Continue;
            case "message_stop":
                _stopped = true;
                return Finish();
        }
        if (type == "message_delta")
        {
            if (JsonElements.TryGet(root, "usage", out var usage))
            {
                _usage.Read(usage);
            }
            if (JsonElements.TryGetObject(root, "delta", out var delta) && JsonElements.String(delta, "stop_reason") is { } stopReason)
            {
                _stopReason = stopReason;
            }
        }
        else if (type == "content_block_delta" && JsonElements.TryGetObject(root, "delta", out var blockDelta))
        {
            var text = JsonElements.String(blockDelta, "text");
            _generatedBytes += (text?.Length ?? 0) + (JsonElements.String(blockDelta, "thinking")?.Length ?? 0)
                + (JsonElements.String(blockDelta, "partial_json")?.Length ?? 0);
            if (text is not null)
            {
                output.Capture?.Add(text); // for accounts that store completions: the text as the client gets it
            }
        }
        Forward(output, sseEvent.Name.Span, data);
        return StreamStep.Continue;
    }

    public StreamStep OnEnd(ChunkWriter output) => _stopped
        ? Finish()
        : Fail(new UpstreamFailure(FailureKind.Truncated, "Anthropic closed the stream before the message finished."));

    /// <summary>
    /// What was generated since the last forwarded event, handed to the writer with it: the writer's total prices a
    /// stream that ends without usage (cut off, or failed after content).
    /// </summary>
    private GeneratedTextCount TakeGenerated()
    {
        var count = new GeneratedTextCount(_generatedBytes, _stopReason is null ? null : FinishReasons.Normalize(_stopReason), _stopReason);
        _generatedBytes = 0;
        return count;
    }

    private void Forward(ChunkWriter output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        if (!_started)
        {
            _started = true;
            if (_messageStart is { } start)
            {
                output.WriteEvent("message_start"u8, start, default);
            }
        }
        output.WriteEvent(name.IsEmpty ? "message"u8 : name, data, TakeGenerated());
    }

    private byte[] RestampStart(JsonElement message)
    {
        var buffer = new PooledBufferWriter(512);
        try
        {
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "message_start");
                json.WritePropertyName("message"u8);
                AnthropicPassthrough.WriteRestamped(json, message, identity);
                json.WriteEndObject();
            }
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private StreamStep Finish()
    {
        Usage = _usage.ToTokenUsage();
        FinishReason = _stopReason is null ? "stop" : FinishReasons.Normalize(_stopReason);
        return StreamStep.Done;
    }

    private StreamStep Fail(UpstreamFailure failure)
    {
        Failure = failure;
        Usage = _usage.OutputTokens > 0 || _usage.InputTokens > 0 ? _usage.ToTokenUsage() : null;
        return StreamStep.Failed;
    }
}
