using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Streaming;

/// <summary>
/// The dialect-neutral part of a scripted stream: headers, keep-alive comments, pacing, event counting and fault
/// injection. Dialects only decide which events to write, so every protocol counts events and fails the same way.
/// </summary>
internal sealed class SseStream : IDisposable
{
    private readonly SimulatedExchange _exchange;
    private readonly SseWriter _sse;
    private readonly SseDialect _dialect;
    private readonly ResponsePlan _plan;
    private bool _first = true;

    private SseStream(SimulatedExchange exchange, SseWriter sse, SseDialect dialect, ResponsePlan plan)
    {
        _exchange = exchange;
        _sse = sse;
        _dialect = dialect;
        _plan = plan;
    }

    public static async Task<SseStream> StartAsync(SimulatedExchange exchange, ResponsePlan plan, SseDialect dialect)
    {
        var response = exchange.Http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = dialect.ContentType;
        response.Headers.CacheControl = "no-cache";
        exchange.Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(exchange.Aborted);

        // Push the headers now: first_chunk_delay_ms and hang_after_events=0 are measured from here.
        var sse = new SseWriter(response, exchange.Aborted, dialect.CrLf);
        var stream = new SseStream(exchange, sse, dialect, plan);
        await sse.FlushAsync();
        for (var i = 0; i < plan.Pacing.KeepaliveComments; i++)
        {
            await sse.WriteCommentAsync("keep-alive"u8);
        }

        return stream;
    }

    /// <summary>Injects a fault due now, else waits the scripted pacing delay.</summary>
    /// <returns>false when a fault ended the stream and nothing more may be written.</returns>
    public async ValueTask<bool> BeforeEventAsync()
    {
        if (await TryInjectFaultAsync())
        {
            return false;
        }

        await _exchange.DelayAsync(_first ? _plan.Pacing.FirstChunkDelayMs : _plan.Pacing.ChunkDelayMs);
        _first = false;
        return true;
    }

    public Utf8JsonWriter BeginEvent(ReadOnlySpan<byte> eventName = default) => _sse.BeginData(eventName);

    public async ValueTask EndEventAsync()
    {
        await _sse.EndDataAsync();
        _exchange.CountEvent();
    }

    /// <summary>A counted data event with a literal payload.</summary>
    public async ValueTask WriteEventAsync(byte[] eventName, byte[] payload)
    {
        await _sse.WriteDataAsync(payload, eventName);
        _exchange.CountEvent();
    }

    /// <summary>An uncounted terminator such as OpenAI's <c>[DONE]</c>.</summary>
    public ValueTask WriteTerminatorAsync(ReadOnlySpan<byte> payload) => _sse.WriteDataAsync(payload);

    /// <summary>A fault scripted at exactly the number of events sent fires after the last event.</summary>
    /// <returns>true when a fault ended the stream.</returns>
    public async Task<bool> TryInjectFaultAsync()
    {
        switch (_plan.Faults.DueAt(_exchange.EventsSent))
        {
            case StreamFault.Reset:
                await _exchange.ResetAfterDrainAsync();
                return true;
            case StreamFault.Hang:
                await _exchange.HangAsync();
                return true;
            case StreamFault.ErrorEvent:
                await WriteEventAsync(_dialect.ErrorEvent.Name, _dialect.ErrorEvent.Data);
                return true;
            case StreamFault.Malformed:
                await WriteEventAsync(_dialect.MalformedEvent.Name, _dialect.MalformedEvent.Data);
                return true;
            default:
                return false;
        }
    }

    public void Dispose() => _sse.Dispose();
}
