using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Switchboard.Simulator.Hosting;

namespace Switchboard.Simulator.Streaming;

/// <summary>
/// Server-sent events over the response pipe. Every event is one write followed by one flush, so
/// the client receives each event as soon as it is produced (what streaming tests observe).
/// </summary>
internal sealed class SseWriter : IDisposable
{
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly CancellationToken _aborted;
    private readonly byte[] _lineEnd;

    /// <param name="crlf">Gemini ends lines with CRLF; OpenAI and Anthropic with LF.</param>
    public SseWriter(HttpResponse response, CancellationToken aborted, bool crlf = false)
    {
        _pipe = response.BodyWriter;
        _aborted = aborted;
        _lineEnd = crlf ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
        _json = new Utf8JsonWriter(_pipe, ResponseBodies.JsonOptions);
    }

    /// <summary>
    /// Starts an event (<c>event:</c> line only when <paramref name="eventName"/> is not empty) and its <c>data:</c>
    /// line; write one JSON value, then call <see cref="EndDataAsync"/>.
    /// </summary>
    public Utf8JsonWriter BeginData(ReadOnlySpan<byte> eventName = default)
    {
        WriteEventName(eventName);
        _pipe.Write("data: "u8);
        _json.Reset();
        return _json;
    }

    public ValueTask EndDataAsync()
    {
        _json.Flush();
        WriteBlankLine();
        return FlushAsync();
    }

    /// <summary>An event with a literal payload (e.g. <c>[DONE]</c> or deliberately broken JSON).</summary>
    public ValueTask WriteDataAsync(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> eventName = default)
    {
        WriteEventName(eventName);
        _pipe.Write("data: "u8);
        _pipe.Write(payload);
        WriteBlankLine();
        return FlushAsync();
    }

    public ValueTask WriteCommentAsync(ReadOnlySpan<byte> comment)
    {
        _pipe.Write(": "u8);
        _pipe.Write(comment);
        WriteBlankLine();
        return FlushAsync();
    }

    public async ValueTask FlushAsync()
    {
        var result = await _pipe.FlushAsync(_aborted);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("The client disconnected.", _aborted);
        }
    }

    public void Dispose() => _json.Dispose();

    private void WriteEventName(ReadOnlySpan<byte> eventName)
    {
        if (!eventName.IsEmpty)
        {
            _pipe.Write("event: "u8);
            _pipe.Write(eventName);
            _pipe.Write(_lineEnd);
        }
    }

    private void WriteBlankLine()
    {
        _pipe.Write(_lineEnd);
        _pipe.Write(_lineEnd);
    }
}
