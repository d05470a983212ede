using System.Diagnostics;
using Switchboard.Bench.Catalog;
using Switchboard.Bench.Checks;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Scaling;
using Switchboard.Bench.Scenarios;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench;

/// <summary>Runs the scenarios in order against all targets and collects the summary rows.</summary>
internal sealed class BenchRunner(BenchOptions options, BenchEnvironment environment, ResultsFile results)
{
    /// <summary>Pass/fail verdicts against the performance targets; any phase may add its own. A miss makes the bench exit non-zero.</summary>
    public TargetChecks Checks { get; } = new();

    /// <summary>The request path's targets applied to <see cref="Target.SwitchboardReference"/>: reported, never failing the run.</summary>
    public TargetChecks ReferenceChecks { get; } = new();

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

        Task<IReadOnlyList<ResultRow>> Scaling() => new ScalingScenario(options, environment, results, Checks).RunAsync(cancellationToken);

        if (options.ScalingOnly)
        {
            await Phase(Scaling);
            return rows;
        }

        if (options.CatalogOnly)
        {
            await Phase(() => new CatalogScenario(options, environment, results).RunAsync(cancellationToken));
            return rows;
        }

        if (options.JournalOnly)
        {
            await Phase(() => new Journal.JournalScenario(options, environment, wrk, results).RunAsync(cancellationToken));
            return rows;
        }

        // Every gateway among the targets (the telemetry variants too) reports its JIT's progress and what it allocates.
        var runtimes = targets.Where(target => target.IsGateway)
            .ToDictionary(target => target.Name, target => new GatewayRuntime(target.BaseUrl, BenchEnvironment.ManagementKey));
        try
        {
            var warmup = Stopwatch.GetTimestamp();
            await new WarmupPhase(options, targets, wrk, results, runtimes).RunAsync(cancellationToken);
            results.Line($"   ({Stopwatch.GetElapsedTime(warmup).TotalSeconds:0} s)");
            results.Line();
            await Phase(() => new SequentialLatencyScenario(options, targets, results, runtimes).RunAsync(cancellationToken));
        }
        finally
        {
            foreach (var runtime in runtimes.Values)
            {
                runtime.Dispose();
            }
        }
        await Phase(() => new SaturationScenario(options, targets, wrk, results).RunAsync(cancellationToken));
        await Phase(() => new StreamingScenario(options, targets, results, StreamingMode.Sequential).RunAsync(cancellationToken));
        if (options.PacedStreams > 0)
        {
            await Phase(() => new StreamingScenario(options, targets, results, StreamingMode.Paced).RunAsync(cancellationToken));
        }

        if (options.StreamConcurrency > 0)
        {
            await Phase(() => new StreamingScenario(options, targets, results, StreamingMode.Concurrent).RunAsync(cancellationToken));
        }

        if (options.MixConcurrency > 0)
        {
            await Phase(() => new MixScenario(options, environment, results).RunAsync(cancellationToken));
        }

        // Last of the scenarios: it leaves thousands of idle upstream connections behind in the proxies for a while.
        if (options.ManyStreams > 0)
        {
            await Phase(() => new ManyStreamsScenario(options, targets, environment.Simulator, results).RunAsync(cancellationToken));
        }

        if (options.JournalDuration > TimeSpan.Zero)
        {
            await Phase(() => new Journal.JournalScenario(options, environment, wrk, results).RunAsync(cancellationToken));
        }

        GatewayTargets.Check(options, rows, Checks);
        GatewayTargets.CheckReference(options, rows, ReferenceChecks);

        if (options.CatalogPlan is not null)
        {
            await Phase(() => new CatalogScenario(options, environment, results).RunAsync(cancellationToken));
        }

        if (options.ScalingPlan is not null)
        {
            await Phase(Scaling);
        }

        return rows;
    }
}
