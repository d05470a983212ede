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

    public SseWriter(HttpResponse response, CancellationToken aborted)
    {
        _pipe = response.BodyWriter;
        _aborted = aborted;
        _json = new Utf8JsonWriter(_pipe, ResponseBodies.JsonOptions);
    }

    /// <summary>Starts a <c>data:</c> event; write one JSON value, then call <see cref="EndDataAsync"/>.</summary>
    public Utf8JsonWriter BeginData()
    {
        _pipe.Write("data: "u8);
        _json.Reset();
        return _json;
    }

    public ValueTask EndDataAsync()
    {
        _json.Flush();
        _pipe.Write("\n\n"u8);
        return FlushAsync();
    }

    /// <summary>A <c>data:</c> event with a literal payload (e.g. <c>[DONE]</c> or deliberately broken JSON).</summary>
    public ValueTask WriteDataAsync(ReadOnlySpan<byte> payload)
    {
        _pipe.Write("data: "u8);
        _pipe.Write(payload);
        _pipe.Write("\n\n"u8);
        return FlushAsync();
    }

    public ValueTask WriteCommentAsync(ReadOnlySpan<byte> comment)
    {
        _pipe.Write(": "u8);
        _pipe.Write(comment);
        _pipe.Write("\n\n"u8);
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
}
