using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;
using Switchboard.Simulator.Streaming;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// Streams a plan as <c>alt=sse</c> chunks: <c>data: &lt;GenerateContentResponse&gt;</c> with CRLF line ends, no event
/// names and no terminator — the stream ends when the connection closes.
/// </summary>
internal static class GeminiStreamWriter
{
    private static readonly SseDialect Dialect = new(
        "text/event-stream",
        CrLf: true,
        ErrorEvent: new SseEventBytes([], """{"error":{"code":500,"message":"Simulated mid-stream error","status":"INTERNAL"}}"""u8.ToArray()),
        MalformedEvent: new SseEventBytes([], """{"candidates":[{"content":{"parts":[{"text":"brok"""u8.ToArray()));

    public static async Task WriteAsync(SimulatedExchange exchange, ResponsePlan plan, GeminiResponseHeader header)
    {
        using var stream = await SseStream.StartAsync(exchange, plan, Dialect);
        var serializer = new GeminiResponseSerializer(plan, header);
        foreach (var chunk in GeminiChunk.SequenceFor(plan))
        {
            if (!await stream.BeforeEventAsync())
            {
                return;
            }

            serializer.Write(stream.BeginEvent(), chunk.Parts, chunk.Final, chunk.UsageFor(plan));
            await stream.EndEventAsync();
        }

        await stream.TryInjectFaultAsync();
    }
}
