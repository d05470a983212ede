using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>
/// (b) wrk with many connections: the most requests per second each path sustains when the two cores are
/// shared by the load generator, the simulator and the proxy, and how much CPU the proxy spends per request.
/// </summary>
internal sealed class SaturationScenario(BenchOptions options, IReadOnlyList<Target> targets, WrkRunner wrk, ResultsFile results)
{
    public static string Title(BenchOptions options) => $"(b) non-streaming, wrk {options.Connections} conns";

    private string Name => Title(options);

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        results.Line($"== {Name}: {options.Rounds} rounds x {options.Duration.TotalSeconds:0.#} s per target");
        results.Line($"   {wrk.CommandLine(targets[0], options.Duration)}");
        var figures = new RoundFigures(Name, targets.Select(target => target.Name));
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var target in RoundOrder.Rotate(targets, round))
            {
                var cpuBefore = target.ProxyCpuTime();
                var result = await wrk.RunAsync(target, options.Duration, cancellationToken);
                var cpu = (target.ProxyCpuTime() - cpuBefore).TotalMicroseconds / result.Requests;
                target.EnsureRunning();
                figures.Add(target.Name, "requests/s", result.RequestsPerSecond, FigureUnit.PerSecond);
                figures.Add(target.Name, "p50 latency", result.P50Ms, FigureUnit.Milliseconds);
                figures.Add(target.Name, "p99 latency", result.P99Ms, FigureUnit.Milliseconds);
                if (target.Proxy is not null)
                {
                    figures.Add(target.Name, "proxy CPU/request", cpu, FigureUnit.CpuMicroseconds);
                }

                results.Raw($"--- round {round + 1} {target.Name}: {target.ChatCompletionsUrl} ---\n{result.Output.TrimEnd()}");
                results.Line(string.Create(CultureInfo.InvariantCulture,
                    $"   round {round + 1} {target.Name,-12} {result.RequestsPerSecond,8:0} req/s   p50 {result.P50Ms,6:0.00} ms   p99 {result.P99Ms,6:0.00} ms{(target.Proxy is null ? "" : $"   proxy CPU {cpu,5:0.0} us/request")}"));
            }
        }

        return figures.Medians();
    }
}
