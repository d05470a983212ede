using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.Streaming;

/// <summary>
/// The client side of a streamed completion. All writes go through one gate, because two writers share the
/// response: the relay forwarding events, and a keep-alive loop that sends <c>: SWITCHBOARD PROCESSING</c>
/// whenever nothing has been written for an interval (while waiting for headers, or during long silences).
/// Keep-alive comments carry no data, so a stream that has only sent comments can still fall back.
/// </summary>
internal sealed class SseResponse : IAsyncDisposable
{
    /// <summary>The keep-alive comment's text; a dialect that keeps SSE comments as its keep-alive writes the same.</summary>
    public static ReadOnlySpan<byte> KeepAlive => "SWITCHBOARD PROCESSING"u8;

    private readonly HttpResponse _response;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private long _lastWrite;
    private PeriodicTimer? _timer;
    private Task? _keepAlive;

    public SseResponse(HttpResponse response, TimeSpan keepAliveInterval, TimeProvider time)
    {
        _response = response;
        _interval = keepAliveInterval;
        _time = time;
        _lastWrite = time.GetTimestamp();
        Chunks = new ChunkWriter(response.BodyWriter);
    }

    public ChunkWriter Chunks { get; }

    public bool HasStarted => _response.HasStarted;

    public void StartKeepAlive()
    {
        if (_keepAlive is null)
        {
            _timer = new PeriodicTimer(_interval, _time);
            _keepAlive = KeepAliveLoopAsync(_timer);
        }
    }

    /// <summary>Takes the gate; dispose the result to release it.</summary>
    public async ValueTask<Releaser> LockAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        return new Releaser(_gate);
    }

    /// <summary>Sends the 200 and stream headers if not yet sent. Call under the gate before writing events.</summary>
    public void EnsureStarted()
    {
        if (_response.HasStarted)
        {
            return;
        }
        _response.StatusCode = StatusCodes.Status200OK;
        _response.ContentType = "text/event-stream; charset=utf-8";
        _response.Headers.CacheControl = "no-cache";
        _response.Headers["X-Accel-Buffering"] = "no"; // nginx in front must not buffer the stream
        _response.HttpContext.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
    }

    /// <summary>Sends what has been written. Call under the gate.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _lastWrite = _time.GetTimestamp();
        await _response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends when <see cref="DisposeAsync"/> disposes the timer, which completes the wait with false: every stream
    /// ends that way, and cancelling the wait instead would throw (and catch) an exception per stream.
    /// </summary>
    private async Task KeepAliveLoopAsync(PeriodicTimer timer)
    {
        try
        {
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                using var held = await LockAsync().ConfigureAwait(false);
                if (_stop.IsCancellationRequested || _time.GetElapsedTime(Volatile.Read(ref _lastWrite)) < _interval * 0.9)
                {
                    continue;
                }
                EnsureStarted();
                Chunks.WriteKeepAlive(KeepAlive);
                await FlushAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The client went away; the relay sees the abort on its own.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // First, so that a tick already taken writes nothing; only a keep-alive write in flight (to a slow client) waits on it.
        await _stop.CancelAsync().ConfigureAwait(false);
        _timer?.Dispose();
        if (_keepAlive is not null)
        {
            await _keepAlive.ConfigureAwait(false);
        }
        _stop.Dispose();
        _gate.Dispose();
        Chunks.Dispose();
    }

    public readonly struct Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
