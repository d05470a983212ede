using System.Globalization;
using Switchboard.Bench.Catalog;
using Switchboard.Bench.Scaling;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench;

/// <summary>Command-line settings. <c>--quick</c> changes the defaults; explicit options win over it.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        Usage: Switchboard.Bench --gateway <Switchboard.dll> --simulator <Switchboard.Simulator.dll> [options]

          --quick                  a few minutes of measuring instead of about 12 (fewer rounds, shorter phases)
          --targets LIST           which targets to run, direct first (direct,nginx,switchboard,portkey); also
                                   switchboard-no-telemetry and switchboard-traced, for telemetry's cost, and
                                   switchboard-undurable (no durable step) and switchboard-commit (waits for the
                                   commit instead of the settlement log), for durability's; and
                                   switchboard-reference, another build (--reference-gateway)
          --reference-gateway DLL  the build switchboard-reference runs (bench/run.sh --reference COMMIT publishes one);
                                   its verdicts are reported beside the gateway's, and do not fail the run
          --rounds N               rounds per scenario; each round runs every target once, in rotated order (4; quick 2)
          --requests N             sequential non-streaming requests per target per round (5000; quick 1000)
          --duration T             wrk duration per target per round, e.g. 10s (10s; quick 3s)
          --connections N          wrk connections for the saturation scenario (64)
          --wrk-threads N          wrk threads (2)
          --streams N              sequential streams per target per round (2000; quick 500)
          --stream-events N        content events per stream (200)
          --stream-concurrency N   concurrent streams in the concurrent streaming scenario, 0 to skip it (16)
          --stream-duration T      concurrent streaming time per target per round (5s; quick 2s)
          --turn-limit T           longest turn of a sequential scenario; slow targets measure fewer (10s; quick 3s)
          --paced-streams N        streams per target per round with events 1 ms apart, for the per-event delay (5; quick 3)
          --many-streams N         concurrent slow streams per target in scenario (d), 0 to skip it (10000; quick 1000)
          --many-stream-seconds T  how long each of them lasts, one event every 100 ms (30s; quick 5s)
          --many-stream-ramp T     over how long they are opened (5s; quick 1s)
          --mix-concurrency N      requests in flight in the realistic mix (e), 0 to skip it (128)
          --mix-duration T         realistic mix time per target per round (5s; quick 2s)
          --mix-keys N             inference keys the mix spreads its requests over (1000)
          --alloc-target-bytes N   target for the gateway's allocated bytes per non-streaming request (8192)
          --warmup T               per target before measuring: this long of wrk, then of concurrent streams (10s; quick 3s)
          --nginx-workers N        nginx worker processes (2, at most the number of cores)
          --scaling MODE           per-request cost as keys, catalog endpoints and generation records grow: full (up to
                                   1M keys, 5,000 endpoints, 10M records), quick (100k, 5,000, 1M) or off (full; --quick: quick)
          --scaling-keys LIST      sizes for the keys curve instead of the mode's, e.g. 10,1000,10000; off skips the curve
          --scaling-endpoints LIST the same for the catalog curve (multiples of 5)
          --scaling-records LIST   the same for the generation records curve
          --scaling-rounds N       rounds per curve; in each, the steps take turns in blocks, in rotated order (8; quick 4)
          --scaling-requests N     sequential requests per step per round (1000; quick 300)
          --scaling-only           only the scaling phase; with --targets direct nothing else is started
          --catalog-models LIST    (k) catalogs to start and list: shipped and synthetic ones of so many models (5
                                   endpoints each), or off (shipped,1000,5000)
          --catalog-starts N       (k) cold starts per catalog, after a first one that creates its database (5; quick 3)
          --catalog-requests N     (k) sequential requests per listing per catalog per round (200; quick 50)
          --catalog-only           only the catalog phase (with --targets direct nothing else is started)
          --journal-duration T     (f) sustained journal writes per store and shape, 0 to skip the phase (5s; quick 2s)
          --journal-only           only the journal phase (with --targets direct nothing else is started)
          --journal-postgres CS    also measure the journal on this PostgreSQL (a user that may drop and create the
                                   public schema of its database); bench/run.sh starts a throwaway server for it
          --results-dir DIR        where the raw results file goes (bench/results)
          --nginx PATH, --wrk PATH binaries to use (found on PATH)
          --portkey DIR            where bench/run.sh installed Portkey's gateway (npm ci of bench/portkey)
          --node PATH              the Node.js that runs Portkey (node on PATH)
        """;

    public required string GatewayDll { get; init; }

    /// <summary>The build <see cref="Target.SwitchboardReference"/> runs; required when that target is measured.</summary>
    public string? ReferenceGatewayDll { get; init; }
    public required string SimulatorDll { get; init; }
    public bool Quick { get; init; }
    public int Rounds { get; init; }
    public int Requests { get; init; }
    public TimeSpan Duration { get; init; }
    public int Connections { get; init; }
    public int WrkThreads { get; init; }
    public int Streams { get; init; }
    public int StreamEvents { get; init; }
    public int StreamConcurrency { get; init; }
    public TimeSpan StreamDuration { get; init; }
    public TimeSpan Warmup { get; init; }
    public int NginxWorkers { get; init; }
    public required IReadOnlyList<string> Targets { get; init; }
    public TimeSpan TurnLimit { get; init; }
    public int PacedStreams { get; init; }
    public int ManyStreams { get; init; }
    public TimeSpan ManyStreamSeconds { get; init; }
    public TimeSpan ManyStreamRamp { get; init; }
    public int MixConcurrency { get; init; }
    public TimeSpan MixDuration { get; init; }
    public int MixKeys { get; init; }
    public int AllocTargetBytes { get; init; }
    public string? PortkeyDirectory { get; init; }
    public required string NodePath { get; init; }
    /// <summary>The flat-cost curves to measure; null with <c>--scaling off</c>.</summary>
    public ScalingPlan? ScalingPlan { get; init; }
    public bool ScalingOnly { get; init; }

    /// <summary>The catalog phase's catalogs and effort; null with <c>--catalog-models off</c>.</summary>
    public CatalogPlan? CatalogPlan { get; init; }

    public bool CatalogOnly { get; init; }

    /// <summary>How long each sustained journal measurement runs; zero skips the journal phase.</summary>
    public TimeSpan JournalDuration { get; init; }

    public bool JournalOnly { get; init; }

    /// <summary>A PostgreSQL connection string for the journal phase, or null to measure SQLite only.</summary>
    public string? JournalPostgres { get; init; }
    public required string ResultsDirectory { get; init; }
    public required string NginxPath { get; init; }
    public required string WrkPath { get; init; }

    /// <summary>The arguments as given, for the results file.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The settings in effect, defaults included, for the results file.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{(Quick ? "quick, " : "")}rounds {Rounds}, requests {Requests}, duration {Duration.TotalSeconds:0.#}s, connections {Connections}, " +
        $"wrk threads {WrkThreads}, streams {Streams}, stream events {StreamEvents}, stream concurrency {StreamConcurrency}, " +
        $"stream duration {StreamDuration.TotalSeconds:0.#}s, warm-up {Warmup.TotalSeconds:0.#}s, nginx workers {NginxWorkers}, " +
        $"targets {string.Join(',', Targets)}, turn limit {TurnLimit.TotalSeconds:0.#}s, paced streams {PacedStreams}, " +
        $"many streams {ManyStreams} x {ManyStreamSeconds.TotalSeconds:0.#}s (ramp {ManyStreamRamp.TotalSeconds:0.#}s), " +
        $"mix {MixConcurrency} in flight x {MixDuration.TotalSeconds:0.#}s over {MixKeys} keys, alloc target {AllocTargetBytes} B, " +
        $"scaling {(ScalingPlan is null ? "off" : ScalingPlan.Describe())}{(ScalingOnly ? " (only)" : "")}, " +
        $"catalog {(CatalogPlan is null ? "off" : CatalogPlan.Describe())}{(CatalogOnly ? " (only)" : "")}, " +
        $"journal {(JournalDuration == TimeSpan.Zero ? "off" : $"{JournalDuration.TotalSeconds:0.#}s sqlite{(JournalPostgres is null ? "" : "+postgres")}")}");

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        var scalingOnly = false;
        var journalOnly = false;
        var catalogOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--quick")
            {
                quick = true;
                continue;
            }

            if (arg == "--scaling-only")
            {
                scalingOnly = true;
                continue;
            }

            if (arg == "--journal-only")
            {
                journalOnly = true;
                continue;
            }

            if (arg == "--catalog-only")
            {
                catalogOnly = true;
                continue;
            }

            if (arg is "-h" or "--help")
            {
                throw new UsageException(null);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[arg[2..equals]] = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                values[arg[2..]] = args[++i];
            }
            else
            {
                throw new UsageException($"{arg} needs a value");
            }
        }

        var reader = new OptionReader(values);
        var rounds = reader.Int("rounds", quick ? 2 : 4, min: 1);
        var options = new BenchOptions
        {
            GatewayDll = reader.ExistingFile("gateway"),
            ReferenceGatewayDll = reader.Optional("reference-gateway") is { } reference ? Path.GetFullPath(reference) : null,
            SimulatorDll = reader.ExistingFile("simulator"),
            Quick = quick,
            Rounds = rounds,
            Requests = reader.Int("requests", quick ? 1000 : 5000, min: 10),
            Duration = reader.Time("duration", TimeSpan.FromSeconds(quick ? 3 : 10)),
            Connections = reader.Int("connections", 64, min: 1),
            WrkThreads = reader.Int("wrk-threads", 2, min: 1),
            Streams = reader.Int("streams", quick ? 500 : 2000, min: 10),
            StreamEvents = reader.Int("stream-events", 200, min: 1),
            StreamConcurrency = reader.Int("stream-concurrency", 16, min: 0),
            StreamDuration = reader.Time("stream-duration", TimeSpan.FromSeconds(quick ? 2 : 5)),
            // Long enough for the gateway's tiered JIT to finish: with 3 s its compiler thread was still busy
            // while sequential latency was measured, which then read several times its steady-state value.
            Warmup = reader.Time("warmup", TimeSpan.FromSeconds(quick ? 3 : 10)),
            NginxWorkers = reader.Int("nginx-workers", Math.Clamp(Environment.ProcessorCount, 1, 2), min: 1),
            Targets = reader.Targets("targets"),
            TurnLimit = reader.Time("turn-limit", TimeSpan.FromSeconds(quick ? 3 : 10)),
            PacedStreams = reader.Int("paced-streams", quick ? 3 : 5, min: 0),
            ManyStreams = reader.Int("many-streams", quick ? 1000 : 10_000, min: 0),
            ManyStreamSeconds = reader.Time("many-stream-seconds", TimeSpan.FromSeconds(quick ? 5 : 30)),
            ManyStreamRamp = reader.Time("many-stream-ramp", TimeSpan.FromSeconds(quick ? 1 : 5)),
            MixConcurrency = reader.Int("mix-concurrency", 128, min: 0),
            MixDuration = reader.Time("mix-duration", TimeSpan.FromSeconds(quick ? 2 : 5)),
            MixKeys = reader.Int("mix-keys", 1000, min: 1),
            AllocTargetBytes = reader.Int("alloc-target-bytes", 8192, min: 1),
            PortkeyDirectory = reader.Optional("portkey") is { } portkey ? Path.GetFullPath(portkey) : null,
            NodePath = reader.String("node", "node"),
            ScalingPlan = ScalingPlan.Parse(
                reader.String("scaling", quick ? "quick" : "full"),
                reader.Optional,
                rounds: reader.Int("scaling-rounds", quick ? 4 : 8, min: 1),
                requestsPerStep: reader.Int("scaling-requests", quick ? 300 : 1000, min: 10)),
            ScalingOnly = scalingOnly,
            CatalogPlan = CatalogPlan.Parse(
                reader.String("catalog-models", CatalogPlan.DefaultModels),
                starts: reader.Int("catalog-starts", quick ? 3 : 5, min: 1),
                rounds,
                requestsPerTurn: reader.Int("catalog-requests", quick ? 50 : 200, min: 5)),
            CatalogOnly = catalogOnly,
            JournalDuration = reader.String("journal-duration", "") == "0" ? TimeSpan.Zero : reader.Time("journal-duration", TimeSpan.FromSeconds(quick ? 2 : 5)),
            JournalPostgres = reader.Optional("journal-postgres"),
            JournalOnly = journalOnly,
            ResultsDirectory = Path.GetFullPath(reader.String("results-dir", Path.Combine("bench", "results"))),
            NginxPath = reader.String("nginx", "nginx"),
            WrkPath = reader.String("wrk", "wrk"),
            Arguments = args,
        };
        reader.RejectUnknown();
        if (options.ScalingOnly && options.ScalingPlan is null)
        {
            throw new UsageException("--scaling-only needs a scaling curve to run");
        }

        if (options.CatalogOnly && options.CatalogPlan is null)
        {
            throw new UsageException("--catalog-only needs catalogs to run");
        }

        if (options.Targets.Contains(Target.Portkey) && options.PortkeyDirectory is null)
        {
            throw new UsageException("the portkey target needs --portkey (bench/run.sh passes it), or leave it out of --targets");
        }

        if (options.Targets.Contains(Target.SwitchboardReference) != options.ReferenceGatewayDll is not null)
        {
            throw new UsageException("the switchboard-reference target and --reference-gateway go together");
        }

        if (options.ReferenceGatewayDll is { } referenceDll && !File.Exists(referenceDll))
        {
            throw new UsageException($"--reference-gateway: no file {referenceDll}");
        }

        if (options.Connections < options.WrkThreads)
        {
            throw new UsageException("--connections must be at least --wrk-threads");
        }

        return options;
    }

    private sealed class OptionReader(Dictionary<string, string> values)
    {
        private readonly HashSet<string> _known = [];

        public string String(string name, string fallback) => Take(name) ?? fallback;

        public string? Optional(string name) => Take(name);

        /// <summary>A comma-separated subset of <see cref="Target.Known"/> that starts with the direct baseline.</summary>
        public IReadOnlyList<string> Targets(string name)
        {
            var text = Take(name);
            if (text is null)
            {
                return Target.Default;
            }

            var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.FirstOrDefault() != Target.Direct || names.Any(n => !Target.Known.Contains(n)) || names.Distinct().Count() != names.Length)
            {
                throw new UsageException($"--{name}: expected direct followed by any of {string.Join(", ", Target.Known.Skip(1))}, got '{text}'");
            }

            // Always in the summary's order, whatever order they were given in.
            return [.. Target.Known.Where(names.Contains)];
        }

        public string ExistingFile(string name)
        {
            var path = Take(name) ?? throw new UsageException($"--{name} is required");
            return File.Exists(path) ? Path.GetFullPath(path) : throw new UsageException($"--{name}: no file {path}");
        }

        public int Int(string name, int fallback, int min)
        {
            var text = Take(name);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
                ? value
                : throw new UsageException($"--{name}: expected an integer of at least {min}, got '{text}'");
        }

        /// <summary>Accepts <c>500ms</c>, <c>10s</c>, <c>2m</c> or a bare number of seconds.</summary>
        public TimeSpan Time(string name, TimeSpan fallback)
        {
            var text = Take(name);
            if (text is null)
            {
                return fallback;
            }

            var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
                : text.EndsWith('s') ? (text[..^1], 1.0)
                : text.EndsWith('m') ? (text[..^1], 60.0)
                : (text, 1.0);
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
                ? TimeSpan.FromSeconds(value * unit)
                : throw new UsageException($"--{name}: expected a duration such as 10s, got '{text}'");
        }

        public void RejectUnknown()
        {
            var unknown = values.Keys.Where(key => !_known.Contains(key)).ToList();
            if (unknown.Count > 0)
            {
                throw new UsageException($"unknown option --{unknown[0]}");
            }
        }

        private string? Take(string name)
        {
            _known.Add(name);
            return values.GetValueOrDefault(name);
        }
    }
}

/// <summary>Bad command line; <see cref="Exception.Message"/> is empty for <c>--help</c>.</summary>
internal sealed class UsageException(string? problem) : Exception(problem ?? string.Empty);
