using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;
using Switchboard.Simulator.Streaming;

namespace Switchboard.Simulator.OpenAI;

/// <summary>Streams a plan as <c>chat.completion.chunk</c> server-sent events, injecting scripted faults.</summary>
internal static class OpenAIStreamWriter
{
    private static readonly SseDialect Dialect = new(
        "text/event-stream; charset=utf-8",
        CrLf: false,
        ErrorEvent: new SseEventBytes(
            [], """{"error":{"message":"Simulated mid-stream error","type":"server_error","code":"server_error"}}"""u8.ToArray()),
        MalformedEvent: new SseEventBytes([], """{"id":"broken"""u8.ToArray()));

    public static async Task WriteAsync(
        SimulatedExchange exchange, ResponsePlan plan, OpenAIResponseHeader header, bool includeUsage)
    {
        using var stream = await SseStream.StartAsync(exchange, plan, Dialect);

        // omit_usage also drops the usage:null markers: it models a provider that ignores stream_options.
        var usageEnabled = includeUsage && plan.Usage is not null;
        var serializer = new OpenAIChunkSerializer(plan, header, usageEnabled);
        foreach (var chunk in OpenAIChunk.SequenceFor(plan, usageEnabled))
        {
            if (!await stream.BeforeEventAsync())
            {
                return;
            }

            serializer.Write(stream.BeginEvent(), chunk);
            await stream.EndEventAsync();
        }

        // A fault scripted at exactly the event count fires in place of [DONE].
        if (await stream.TryInjectFaultAsync())
        {
            return;
        }

        if (!plan.Faults.OmitDone)
        {
            await stream.WriteTerminatorAsync("[DONE]"u8);
        }
    }
}
