using Microsoft.AspNetCore.Http.Features;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;
using Switchboard.Simulator.Streaming;

namespace Switchboard.Simulator.OpenAI;

/// <summary>Streams a plan as <c>chat.completion.chunk</c> server-sent events, injecting scripted faults.</summary>
internal static class OpenAIStreamWriter
{
    private static ReadOnlySpan<byte> MidStreamError =>
        """{"error":{"message":"Simulated mid-stream error","type":"server_error","code":"server_error"}}"""u8;

    private static ReadOnlySpan<byte> BrokenJson => """{"id":"broken"""u8;

    public static async Task WriteAsync(
        SimulatedExchange exchange, ResponsePlan plan, OpenAIResponseHeader header, bool includeUsage)
    {
        using var sse = await StartAsync(exchange);
        for (var i = 0; i < plan.Pacing.KeepaliveComments; i++)
        {
            await sse.WriteCommentAsync("keep-alive"u8);
        }

        // omit_usage also drops the usage:null markers: it models a provider that ignores stream_options.
        var usageEnabled = includeUsage && plan.Usage is not null;
        var serializer = new OpenAIChunkSerializer(plan, header, usageEnabled);
        var first = true;
        foreach (var chunk in OpenAIChunk.SequenceFor(plan, usageEnabled))
        {
            if (await TryInjectFaultAsync(exchange, sse, plan.Faults))
            {
                return;
            }

            await exchange.DelayAsync(first ? plan.Pacing.FirstChunkDelayMs : plan.Pacing.ChunkDelayMs);
            first = false;
            serializer.Write(sse.BeginData(), chunk);
            await sse.EndDataAsync();
            exchange.CountEvent();
        }

        // A fault scripted at exactly the event count fires in place of [DONE].
        if (await TryInjectFaultAsync(exchange, sse, plan.Faults))
        {
            return;
        }

        if (!plan.Faults.OmitDone)
        {
            await sse.WriteDataAsync("[DONE]"u8);
        }
    }

    private static async Task<SseWriter> StartAsync(SimulatedExchange exchange)
    {
        var response = exchange.Http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        exchange.Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(exchange.Aborted);

        // Push the headers now: first_chunk_delay_ms and hang_after_events=0 are measured from here.
        var sse = new SseWriter(response, exchange.Aborted);
        await sse.FlushAsync();
        return sse;
    }

    /// <returns>true when the stream must end now.</returns>
    private static async Task<bool> TryInjectFaultAsync(SimulatedExchange exchange, SseWriter sse, StreamFaults faults)
    {
        switch (faults.DueAt(exchange.EventsSent))
        {
            case StreamFault.Reset:
                await exchange.ResetAfterDrainAsync();
                return true;
            case StreamFault.Hang:
                await exchange.HangAsync();
                return true;
            case StreamFault.ErrorEvent:
                await sse.WriteDataAsync(MidStreamError);
                exchange.CountEvent();
                return true;
            case StreamFault.Malformed:
                await sse.WriteDataAsync(BrokenJson);
                exchange.CountEvent();
                return true;
            default:
                return false;
        }
    }
}
