using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;
using Switchboard.Simulator.Streaming;

namespace Switchboard.Simulator.Anthropic;

/// <summary>Streams a plan as named Messages events (no <c>[DONE]</c>: <c>message_stop</c> ends it), injecting faults.</summary>
internal static class AnthropicStreamWriter
{
    private static readonly SseDialect Dialect = new(
        "text/event-stream; charset=utf-8",
        CrLf: false,
        // What the API sends when it is overloaded after the 200 (docs: "would normally correspond to an HTTP 529").
        ErrorEvent: new SseEventBytes(
            "error"u8.ToArray(), """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""u8.ToArray()),
        MalformedEvent: new SseEventBytes(
            "content_block_delta"u8.ToArray(), """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"brok"""u8.ToArray()));

    private static readonly byte[] PingName = "ping"u8.ToArray();

    // Verbatim, space included: the real API writes this one event by hand rather than with its serializer.
    private static readonly byte[] PingData = """{"type": "ping"}"""u8.ToArray();

    public static async Task WriteAsync(SimulatedExchange exchange, ResponsePlan plan, AnthropicResponseHeader header)
    {
        using var stream = await SseStream.StartAsync(exchange, plan, Dialect);
        var serializer = new AnthropicEventSerializer(plan, header);
        foreach (var e in AnthropicStreamEvent.SequenceFor(plan))
        {
            if (!await stream.BeforeEventAsync())
            {
                return;
            }

            if (e.Kind == AnthropicEventKind.Ping)
            {
                await stream.WriteEventAsync(PingName, PingData);
                continue;
            }

            serializer.Write(stream.BeginEvent(e.Name), e);
            await stream.EndEventAsync();
        }

        // message_stop is an ordinary counted event here, so a fault at the total count fires after everything.
        await stream.TryInjectFaultAsync();
    }
}
