using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Checks;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Scenarios;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// Flat cost as the work grows: per-request overhead at growing numbers of API keys, catalog endpoints and generation
/// records. Every step of a curve is a gateway of its own, seeded to the step's size; the steps and the direct path
/// take turns in interleaved rounds of sequential non-streaming requests, as the targets of scenario (a) do, so the
/// steps differ in their data only. Each curve passes if its largest step stays within <see cref="FlatCostCheck"/>
/// of its smallest, for p50 added latency and for gateway CPU per request; the verdicts go to <paramref name="checks"/>.
/// </summary>
internal sealed class ScalingScenario(BenchOptions options, BenchEnvironment environment, ResultsFile results, TargetChecks checks)
{
    public const string CpuPerRequest = "gateway CPU/request";
    private const string AddedLatency = "p50 added latency";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var plan = options.ScalingPlan ?? throw new InvalidOperationException("The scaling phase is off.");
        var direct = environment.Targets.Single(target => target.Name == Target.Direct);
        // The direct target's URL is the simulator's, which serves every provider slug under its own path.
        var simulator = new Uri(direct.ChatCompletionsUrl.GetLeftPart(UriPartial.Authority) + "/");
        var root = Path.Combine(environment.WorkDirectory, "scaling");
        var template = await CreateTemplateAsync(root, simulator, cancellationToken);

        var rows = new List<ResultRow>();
        foreach (var dimension in plan.Dimensions)
        {
            var started = Stopwatch.GetTimestamp();
            rows.AddRange(await RunCurveAsync(plan, dimension, simulator, template, root, cancellationToken));
            results.Line($"   ({Stopwatch.GetElapsedTime(started).TotalSeconds:0} s)");
            results.Line();
        }

        return rows;
    }

    /// <summary>
    /// Starts a gateway on an empty data directory once, so it creates, migrates and bootstraps its database (admin
    /// account and management key) the way it does in production, and keeps the stopped file as every step's start.
    /// </summary>
    private async Task<string> CreateTemplateAsync(string root, Uri simulator, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(root, "template");
        Directory.CreateDirectory(directory);
        var catalog = ScalingCatalog.Write(directory, ScalingPlan.BaseEndpoints, simulator);
        var data = Path.Combine(directory, "data");
        var gateway = await ScalingGateway.StartAsync(
            "switchboard template", options.GatewayDll, catalog.Path, data, Path.Combine(directory, "switchboard.log"), cancellationToken);
        gateway.Dispose(); // listening means migrated and bootstrapped; stopping it closes the file

        var database = Path.Combine(data, "switchboard.db");
        if (!File.Exists(database))
        {
            throw new BenchFailureException($"The gateway did not create {database}; the scaling phase seeds SQLite only.");
        }

        GatewayDatabaseSeeder.Checkpoint(database);
        return database;
    }

    private async Task<IReadOnlyList<ResultRow>> RunCurveAsync(
        ScalingPlan plan, ScalingDimension dimension, Uri simulator, string template, string root, CancellationToken cancellationToken)
    {
        var title = $"(s) flat cost vs {dimension.Title}";
        results.Line(string.Create(CultureInfo.InvariantCulture,
            $"== {title}: {string.Join(", ", dimension.Sizes.Select(size => size.ToString("#,0", CultureInfo.InvariantCulture)))}; " +
            $"{plan.Rounds} rounds x {plan.RequestsPerStep} requests per step, over up to {ScalingPlan.HotKeys:#,0} hot keys"));
        EnsureDiskSpace(dimension, root);
        var steps = new List<ScalingStep>();
        var participants = new List<ScalingParticipant>();
        try
        {
            foreach (var size in dimension.Sizes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                steps.Add(ScalingStep.Prepare(dimension, size, Path.Combine(root, $"{dimension.Axis}-{size}"), template, simulator, results));
            }

            foreach (var step in steps)
            {
                await step.StartAsync(options.GatewayDll, cancellationToken);
                results.Line(string.Create(CultureInfo.InvariantCulture,
                    $"   {step.Name,-20} gateway listening after {step.Gateway.StartTime.TotalSeconds:0.0} s"));
            }

            // Any step's mix will do for the simulator, which ignores keys and answers every model alike.
            participants.Add(new ScalingParticipant(
                Target.Direct, new Uri(simulator, $"{ScalingCatalog.ProviderSlug(1)}/v1/chat/completions"), steps[0].Requests, null));
            participants.AddRange(steps.Select(step => new ScalingParticipant(step.Name, step.Gateway.ChatCompletionsUrl, step.Requests, step.Gateway.Host)));
            foreach (var participant in participants)
            {
                await participant.WarmUpAsync(options.Warmup, cancellationToken);
            }

            // One unrecorded round first: on a busy machine the request path may still be tiering up after the warm-up.
            await MeasureRoundAsync(plan, participants, -1, cancellationToken);
            var figures = new RoundFigures(title, participants.Select(participant => participant.Name));
            for (var round = 0; round < plan.Rounds; round++)
            {
                await MeasureRoundAsync(plan, participants, round, cancellationToken);
                foreach (var participant in participants)
                {
                    participant.EndRound(round, figures, results);
                }
            }

            var rows = figures.Medians();
            var verdicts = Verdicts(dimension, rows, steps);
            ReportCurve(rows, steps, verdicts);
            foreach (var verdict in verdicts)
            {
                checks.Add(verdict.Target, verdict.Passed, verdict.Measured);
            }

            foreach (var step in steps)
            {
                var audit = await step.Gateway.AuditAsync(cancellationToken);
                results.Line(string.Create(CultureInfo.InvariantCulture, $"   {step.Name,-20} ledger audit balanced ({audit.TotalSeconds:0.0} s)"));
            }

            return rows;
        }
        finally
        {
            foreach (var participant in participants)
            {
                participant.Dispose();
            }

            foreach (var step in steps)
            {
                step.Dispose();
            }
        }
    }

    /// <summary>
    /// Fails before seeding, rather than halfway through, when the curve's databases cannot fit: all steps of a curve
    /// exist at once. Per row, as measured: about 620 bytes per generation record with its ledger charge, 360 per key
    /// with its share of an account.
    /// </summary>
    private void EnsureDiskSpace(ScalingDimension dimension, string root)
    {
        var (perRow, fixedBytes) = dimension.Axis switch
        {
            ScalingAxis.GenerationRecords => (700L, 2_000_000L),
            ScalingAxis.ApiKeys => (400L, 1_000_000L),
            _ => (0L, 2_000_000L),
        };
        var needed = dimension.Sizes.Sum(size => size * perRow + fixedBytes);
        var free = new DriveInfo(root).AvailableFreeSpace;
        results.Line(string.Create(CultureInfo.InvariantCulture,
            $"   databases need about {needed / 1e9:0.0} GB; {free / 1e9:0.0} GB free under {root}"));
        if (needed > free)
        {
            throw new BenchFailureException($"Not enough disk space for the {dimension.Title} curve; use smaller --{dimension.Option} sizes.");
        }
    }

    /// <summary>
    /// A round is <see cref="ScalingPlan.BlocksPerRound"/> passes over all participants, one block of requests each,
    /// in an order that rotates from pass to pass: a burst of load from elsewhere on the machine, which lasts longer
    /// than a block, then falls on every step alike instead of on one step's whole turn.
    /// </summary>
    private async Task MeasureRoundAsync(ScalingPlan plan, List<ScalingParticipant> participants, int round, CancellationToken cancellationToken)
    {
        foreach (var participant in participants)
        {
            participant.StartRound(round);
        }

        for (var block = 0; block < ScalingPlan.BlocksPerRound; block++)
        {
            foreach (var participant in RoundOrder.Rotate(participants, (round + 1) * ScalingPlan.BlocksPerRound + block))
            {
                await participant.MeasureBlockAsync(plan.RequestsPerBlock, cancellationToken);
            }

            environment.Simulator.EnsureRunning();
        }
    }

    /// <summary>Largest step against smallest, for p50 added latency (over the direct path) and CPU per request.</summary>
    private static List<FlatCostCheck> Verdicts(ScalingDimension dimension, IReadOnlyList<ResultRow> rows, List<ScalingStep> steps)
    {
        var (smallest, largest) = (steps[0].Name, steps[^1].Name);
        double Value(string target, string figure) => rows.Single(row => row.Target == target && row.Figure == figure).Value;
        double Added(string target) => Value(target, "p50 latency") - Value(Target.Direct, "p50 latency");
        return
        [
            new(dimension.Title, AddedLatency, smallest, Added(smallest), largest, Added(largest)),
            new(dimension.Title, CpuPerRequest, smallest, Value(smallest, CpuPerRequest), largest, Value(largest, CpuPerRequest)),
        ];
    }

    /// <summary>The curve itself: one line per step, then the verdicts.</summary>
    private void ReportCurve(IReadOnlyList<ResultRow> rows, List<ScalingStep> steps, List<FlatCostCheck> verdicts)
    {
        double Value(string target, string figure) => rows.Single(row => row.Target == target && row.Figure == figure).Value;
        results.Line($"   {"curve (medians)",-20} {"p50 added",12} {"p99 added",12} {CpuPerRequest,22}");
        foreach (var step in steps)
        {
            results.Line(string.Create(CultureInfo.InvariantCulture,
                $"   {step.Name,-20} {Value(step.Name, "p50 latency") - Value(Target.Direct, "p50 latency"),9:+#,0;-#,0} µs " +
                $"{Value(step.Name, "p99 latency") - Value(Target.Direct, "p99 latency"),9:+#,0;-#,0} µs " +
                $"{Value(step.Name, CpuPerRequest),15:#,0.0} µs CPU"));
        }

        foreach (var verdict in verdicts)
        {
            results.Line($"   {verdict.Describe()}");
        }
    }
}
