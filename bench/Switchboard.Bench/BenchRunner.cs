using System.Diagnostics;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Scenarios;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench;

/// <summary>Runs the scenarios in order against all targets and collects the summary rows.</summary>
internal sealed class BenchRunner(BenchOptions options, BenchEnvironment environment, ResultsFile results)
{
    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var targets = environment.Targets;
        var rows = new List<ResultRow>();
        var wrk = new WrkRunner(options, environment.WorkDirectory);

        async Task Phase(Func<Task<IReadOnlyList<ResultRow>>> scenario)
        {
            var started = Stopwatch.GetTimestamp();
            rows.AddRange(await scenario());
            results.Line($"   ({Stopwatch.GetElapsedTime(started).TotalSeconds:0} s)");
            results.Line();
        }

        var warmup = Stopwatch.GetTimestamp();
        await new WarmupPhase(options, targets, wrk, results).RunAsync(cancellationToken);
        results.Line($"   ({Stopwatch.GetElapsedTime(warmup).TotalSeconds:0} s)");
        results.Line();

        await Phase(() => new SequentialLatencyScenario(options, targets, results).RunAsync(cancellationToken));
        await Phase(() => new SaturationScenario(options, targets, wrk, results).RunAsync(cancellationToken));
        await Phase(() => new StreamingScenario(options, targets, results, concurrent: false).RunAsync(cancellationToken));
        if (options.StreamConcurrency > 0)
        {
            await Phase(() => new StreamingScenario(options, targets, results, concurrent: true).RunAsync(cancellationToken));
        }

        return rows;
    }
}
