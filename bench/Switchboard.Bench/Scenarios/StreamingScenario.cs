using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>
/// (c) Streaming answers of <see cref="BenchOptions.StreamEvents"/> content events with no delay between them:
/// how long until the first token reaches the client and how fast events are relayed. Run once with one
/// stream at a time and once with <see cref="BenchOptions.StreamConcurrency"/> streams in flight.
/// </summary>
internal sealed class StreamingScenario(BenchOptions options, IReadOnlyList<Target> targets, ResultsFile results, bool concurrent)
{
    private readonly byte[] _body = RequestBodies.Utf8(RequestBodies.Streaming(options.StreamEvents));

    public string Name => concurrent
        ? $"(c) streaming {options.StreamEvents} events, {options.StreamConcurrency} concurrent"
        : $"(c) streaming {options.StreamEvents} events, sequential";

    private int Connections => concurrent ? options.StreamConcurrency : 1;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        results.Line(concurrent
            ? $"== {Name}: {options.Rounds} rounds x {options.StreamDuration.TotalSeconds:0.#} s per target"
            : $"== {Name}: {options.Rounds} rounds x {options.Streams} streams per target");
        var clients = targets.ToDictionary(target => target.Name, _ => BenchHttp.CreateClient(Connections));
        try
        {
            foreach (var target in targets)
            {
                await RunBlockAsync(clients[target.Name], target, warmup: true, cancellationToken);
            }

            var figures = new RoundFigures(Name, targets.Select(target => target.Name));
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var target in RoundOrder.Rotate(targets, round))
                {
                    var cpuBefore = target.ProxyCpuTime();
                    var (block, eventsPerSecond) = await RunBlockAsync(clients[target.Name], target, warmup: false, cancellationToken);
                    var cpu = (target.ProxyCpuTime() - cpuBefore).TotalMicroseconds / block.Count;
                    target.EnsureRunning();
                    var ttft = block.Select(s => s.TimeToFirstTokenUs).ToList();
                    var (ttft50, ttft99, total50) = (Percentiles.Of(ttft, 50), Percentiles.Of(ttft, 99), Percentiles.Of([.. block.Select(s => s.TotalUs)], 50));
                    figures.Add(target.Name, "TTFT p50", ttft50, FigureUnit.Microseconds);
                    figures.Add(target.Name, "TTFT p99", ttft99, FigureUnit.Microseconds);
                    figures.Add(target.Name, "stream total p50", total50, FigureUnit.Microseconds);
                    figures.Add(target.Name, "events/s", eventsPerSecond, FigureUnit.PerSecond);
                    if (target.Proxy is not null)
                    {
                        figures.Add(target.Name, "proxy CPU/stream", cpu, FigureUnit.CpuMicroseconds);
                    }

                    results.Line(string.Create(CultureInfo.InvariantCulture,
                        $"   round {round + 1} {target.Name,-12} {block.Count,5} streams x {block.Average(s => s.Events):0} events   TTFT p50 {ttft50,5:0} us   p99 {ttft99,5:0} us   total p50 {total50,5:0} us   {eventsPerSecond,7:0} events/s{(target.Proxy is null ? "" : $"   proxy CPU {cpu,4:0} us/stream")}"));
                }
            }

            return figures.Medians();
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>One target's turn: the streams and the events per second relayed to the client (over wall time).</summary>
    private async Task<(List<StreamSample> Samples, double EventsPerSecond)> RunBlockAsync(
        HttpClient client, Target target, bool warmup, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        List<StreamSample> samples;
        if (concurrent)
        {
            // The warm-up phase has already loaded every target; this only opens this client's connections.
            var duration = warmup ? TimeSpan.FromSeconds(0.5) : options.StreamDuration;
            var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var workers = Enumerable.Range(0, options.StreamConcurrency)
                .Select(_ => Task.Run(() => StreamUntilAsync(client, target, deadline, cancellationToken), cancellationToken));
            samples = [.. (await Task.WhenAll(workers)).SelectMany(worker => worker)];
        }
        else
        {
            var count = warmup ? Math.Max(20, options.Streams / 10) : options.Streams;
            samples = new List<StreamSample>(count);
            for (var i = 0; i < count; i++)
            {
                samples.Add(await StreamingClient.MeasureAsync(client, target, _body, options.StreamEvents, cancellationToken));
            }
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (samples, samples.Sum(s => s.Events) / seconds);
    }

    private async Task<List<StreamSample>> StreamUntilAsync(HttpClient client, Target target, long deadline, CancellationToken cancellationToken)
    {
        var samples = new List<StreamSample>();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            samples.Add(await StreamingClient.MeasureAsync(client, target, _body, options.StreamEvents, cancellationToken));
        }

        return samples;
    }
}
