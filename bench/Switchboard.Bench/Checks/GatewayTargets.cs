using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Scenarios;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Checks;

/// <summary>
/// The performance targets set for the gateway (issue 5), checked against the summary's figures: medians over
/// rounds, and "added" figures as the gateway's median minus the direct path's. All in one place, so the list here
/// is the list in docs/benchmarks.md.
/// </summary>
internal static class GatewayTargets
{
    private const double SequentialAddedP50Us = 150;
    private const double SequentialAddedP99Us = 500;
    private const double ThroughputVsNginx = 0.5;
    private const double ThroughputVsPortkey = 20;
    private const double StreamingAddedTtftUs = 1000;
    private const double EventForwardingDelayUs = 100;
    private const double PeakRssBytes = 1.5 * 1024 * 1024 * 1024;
    private const double JournalVsGateway = 2;
    private const double MetricsAddedP50Us = 25;
    private const double MetricsAddedP50Share = 0.05;
    private const double MetricsThroughputShare = 0.95;

    public static void Check(BenchOptions options, IReadOnlyList<ResultRow> rows, TargetChecks checks)
    {
        CheckGateway(options, rows, checks, Target.Switchboard);

        // The journal must outrun the gateway with room to spare (issue 13): a completion waits for its commit.
        var saturation = SaturationScenario.Title(options);
        var saturated = Value(rows, saturation, Target.Switchboard, "requests/s");
        var mixed = Value(rows, Scenarios.MixScenario.Title(options), Target.Switchboard, "requests/s");
        foreach (var store in new[] { "sqlite", "postgres" })
        {
            var gateway = store == "sqlite" ? saturated : Value(rows, Journal.JournalScenario.Name, store, Journal.JournalScenario.GatewaySaturation);
            checks.AtLeast($"journal commits/s on {store} vs the gateway's saturation requests/s on {store}",
                Value(rows, Journal.JournalScenario.Name, store, Journal.JournalScenario.OneKey) / gateway, JournalVsGateway, Times);
            checks.AtLeast($"journal commits/s on {store}, 1,000 keys x 200 models, vs the mix's requests/s",
                Value(rows, Journal.JournalScenario.Name, store, Journal.JournalScenario.Spread) / mixed, JournalVsGateway, Times);
        }

        CheckTelemetryCost(options, rows, checks);
    }

    /// <summary>
    /// The targets of one build, when the run measured <see cref="Target.SwitchboardReference"/>: the same limits
    /// applied to another build in the same run, so a miss both builds share is told from one the change brought.
    /// </summary>
    public static void CheckReference(BenchOptions options, IReadOnlyList<ResultRow> rows, TargetChecks checks)
    {
        if (options.Targets.Contains(Target.SwitchboardReference))
        {
            CheckGateway(options, rows, checks, Target.SwitchboardReference);
        }
    }

    /// <summary>The targets on the request path, for <paramref name="gateway"/>'s figures.</summary>
    private static void CheckGateway(BenchOptions options, IReadOnlyList<ResultRow> rows, TargetChecks checks, string gateway)
    {
        var sequential = SequentialLatencyScenario.Name;
        checks.AtMost("sequential added latency p50", Added(rows, sequential, gateway, "p50 latency"), SequentialAddedP50Us, Microseconds);
        checks.AtMost("sequential added latency p99", Added(rows, sequential, gateway, "p99 latency"), SequentialAddedP99Us, Microseconds);

        var saturation = SaturationScenario.Title(options);
        checks.AtLeast("saturation requests/s vs nginx", Ratio(rows, saturation, gateway, "requests/s", Target.Nginx), ThroughputVsNginx, Times);
        checks.AtLeast("saturation requests/s vs portkey", Ratio(rows, saturation, gateway, "requests/s", Target.Portkey), ThroughputVsPortkey, Times);

        checks.AtMost("streaming added TTFT p50",
            Added(rows, StreamingScenario.Title(options, StreamingMode.Sequential), gateway, "TTFT p50"), StreamingAddedTtftUs, Microseconds);
        checks.AtMost("streaming per-event forwarding delay (median)",
            Added(rows, StreamingScenario.Title(options, StreamingMode.Paced), gateway, StreamingScenario.EventDelayP50), EventForwardingDelayUs, Microseconds);

        var manyStreams = ManyStreamsScenario.Title(options);
        var streams = string.Create(CultureInfo.InvariantCulture, $"{options.ManyStreams:#,0} concurrent streams");
        checks.AtMost($"{streams}: failed streams", Value(rows, manyStreams, gateway, ManyStreamsScenario.Failed), 0, Count);
        checks.AtMost($"{streams}: peak RSS", Value(rows, manyStreams, gateway, ManyStreamsScenario.PeakRss), PeakRssBytes, Bytes);

        const string allocation = "allocated bytes per non-streaming request";
        var allocated = Value(rows, sequential, gateway, SequentialLatencyScenario.AllocatedPerRequest);
        if (allocated is double.NaN)
        {
            checks.NotAvailable(allocation, $"the gateway answered 404 to GET {GatewayRuntime.Path}");
        }
        else
        {
            checks.AtMost(allocation, allocated, options.AllocTargetBytes, Bytes);
        }
    }

    /// <summary>
    /// Metrics are on by default, so their cost is on every deployment's hot path (issue 18): the default gateway
    /// against the same build with telemetry off, when the run measured both. Tracing is opt-in and only reported.
    /// </summary>
    private static void CheckTelemetryCost(BenchOptions options, IReadOnlyList<ResultRow> rows, TargetChecks checks)
    {
        if (!options.Targets.Contains(Target.Switchboard) || !options.Targets.Contains(Target.SwitchboardNoTelemetry))
        {
            return;
        }
        var sequential = SequentialLatencyScenario.Name;
        var withMetrics = Value(rows, sequential, Target.Switchboard, "p50 latency");
        var without = Value(rows, sequential, Target.SwitchboardNoTelemetry, "p50 latency");
        checks.AtMost("metrics' cost: sequential p50 vs telemetry off",
            withMetrics - without, Math.Max(MetricsAddedP50Us, MetricsAddedP50Share * (without ?? 0)), Microseconds);
        var saturation = SaturationScenario.Title(options);
        checks.AtLeast("metrics' cost: saturation requests/s vs telemetry off",
            Value(rows, saturation, Target.Switchboard, "requests/s") / Value(rows, saturation, Target.SwitchboardNoTelemetry, "requests/s"),
            MetricsThroughputShare, Times);
    }

    private static double? Value(IReadOnlyList<ResultRow> rows, string scenario, string target, string figure) =>
        rows.FirstOrDefault(row => row.Scenario == scenario && row.Target == target && row.Figure == figure)?.Value;

    /// <summary>The gateway's figure minus the direct path's: what the hop adds.</summary>
    private static double? Added(IReadOnlyList<ResultRow> rows, string scenario, string gateway, string figure) =>
        Value(rows, scenario, gateway, figure) - Value(rows, scenario, Target.Direct, figure);

    /// <summary>The gateway's figure as a multiple of <paramref name="baseline"/>'s.</summary>
    private static double? Ratio(IReadOnlyList<ResultRow> rows, string scenario, string gateway, string figure, string baseline) =>
        Value(rows, scenario, gateway, figure) / Value(rows, scenario, baseline, figure);

    private static string Microseconds(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:+#,0;-#,0;0} µs");

    private static string Times(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:0.00}x");

    private static string Count(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:#,0}");

    private static string Bytes(double value) => ResultTable.FormatBytes(value);
}
