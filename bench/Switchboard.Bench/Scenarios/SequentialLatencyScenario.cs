using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>
/// (a) One client, one keep-alive connection, one non-streaming request at a time: the latency a hop adds
/// when nothing is queued. Timed from sending the request to having read the whole response body. A turn ends
/// after <see cref="BenchOptions.Requests"/> requests or <see cref="BenchOptions.TurnLimit"/>, whichever comes
/// first, so a slow peer gets fewer samples rather than a longer run. Around the gateway's turns, its
/// <see cref="GatewayRuntime"/> counters give the bytes it allocates per request.
/// </summary>
internal sealed class SequentialLatencyScenario(BenchOptions options, IReadOnlyList<Target> targets, ResultsFile results, IReadOnlyDictionary<string, GatewayRuntime> runtimes)
{
    public const string Name = "(a) non-streaming, sequential, 1 conn";
    public const string AllocatedPerRequest = "allocated/request";

    private static readonly byte[] Body = RequestBodies.Utf8(RequestBodies.NonStreaming);

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        results.Line($"== {Name}: {options.Rounds} rounds x {options.Requests} requests (at most {options.TurnLimit.TotalSeconds:0.#} s) per target");
        var clients = targets.ToDictionary(target => target.Name, _ => BenchHttp.CreateClient(1));
        try
        {
            var warmup = Math.Max(100, options.Requests / 10);
            foreach (var target in targets)
            {
                await MeasureAsync(clients[target.Name], target, warmup, cancellationToken);
            }

            var figures = new RoundFigures(Name, targets.Select(target => target.Name));
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var target in RoundOrder.Rotate(targets, round))
                {
                    var gateway = runtimes.GetValueOrDefault(target.Name);
                    var runtimeBefore = gateway is null ? null : await gateway.ReadAsync(cancellationToken);
                    var cpuBefore = target.ProxyCpuTime();
                    var samples = await MeasureAsync(clients[target.Name], target, options.Requests, cancellationToken);
                    var cpu = (target.ProxyCpuTime() - cpuBefore).TotalMicroseconds / samples.Count;
                    var runtimeAfter = gateway is null ? null : await gateway.ReadAsync(cancellationToken);
                    target.EnsureRunning();
                    var (p50, p99) = (Percentiles.Of(samples, 50), Percentiles.Of(samples, 99));
                    figures.Add(target.Name, "p50 latency", p50, FigureUnit.Microseconds);
                    figures.Add(target.Name, "p99 latency", p99, FigureUnit.Microseconds);
                    if (target.Proxy is not null)
                    {
                        figures.Add(target.Name, "proxy CPU/request", cpu, FigureUnit.CpuMicroseconds);
                    }

                    var allocation = string.Empty;
                    if (gateway is not null)
                    {
                        var perRequest = runtimeBefore is { } before && runtimeAfter is { } after
                            ? (double)(after.AllocatedBytes - before.AllocatedBytes) / samples.Count
                            : double.NaN;
                        if (perRequest < 0)
                        {
                            // The runtime's total can step back across a full collection (seen once: -352 MB over a
                            // turn with a gen2 GC). Such a round measured nothing; the median is of the others.
                            allocation = "   allocated n/a (the runtime's total went back across a full GC)";
                        }
                        else
                        {
                            figures.Add(target.Name, AllocatedPerRequest, perRequest, FigureUnit.Bytes);
                            allocation = Allocation(perRequest, runtimeBefore, runtimeAfter);
                        }
                    }

                    results.Line(string.Create(CultureInfo.InvariantCulture,
                        $"   round {round + 1} {target.Name,-12} {samples.Count,6} requests   p50 {p50,6:0} us   p99 {p99,6:0} us   mean {samples.Average(),6:0} us{ProxyCpu(target, cpu)}{allocation}"));
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

    private static string ProxyCpu(Target target, double cpu) =>
        target.Proxy is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"   proxy CPU {cpu,6:0.0} us/request");

    private static string Allocation(double perRequest, RuntimeReading? before, RuntimeReading? after) =>
        before is { } b && after is { } a
            ? string.Create(CultureInfo.InvariantCulture,
                $"   allocated {perRequest,7:#,0} B/request   GCs gen0 {a.Gen0Collections - b.Gen0Collections} gen1 {a.Gen1Collections - b.Gen1Collections} gen2 {a.Gen2Collections - b.Gen2Collections}")
            : $"   allocated n/a (no {GatewayRuntime.Path})";

    /// <summary>Latencies in microseconds of <paramref name="count"/> requests, or of as many as fit in the turn limit.</summary>
    private async Task<List<double>> MeasureAsync(HttpClient client, Target target, int count, CancellationToken cancellationToken)
    {
        var samples = new List<double>(count);
        var deadline = Stopwatch.GetTimestamp() + (long)(options.TurnLimit.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < count && Stopwatch.GetTimestamp() < deadline; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await BenchHttp.CompleteAsync(client, target, Body, cancellationToken);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return samples;
    }
}
