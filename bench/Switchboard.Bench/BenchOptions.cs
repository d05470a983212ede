using System.Globalization;

namespace Switchboard.Bench;

/// <summary>Command-line settings. <c>--quick</c> changes the defaults; explicit options win over it.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        Usage: Switchboard.Bench --gateway <Switchboard.dll> --simulator <Switchboard.Simulator.dll> [options]

          --quick                  about one minute of measuring instead of about 3.5 (fewer rounds, shorter phases)
          --rounds N               rounds per scenario; each round runs every target once, in rotated order (4; quick 2)
          --requests N             sequential non-streaming requests per target per round (5000; quick 1000)
          --duration T             wrk duration per target per round, e.g. 10s (10s; quick 3s)
          --connections N          wrk connections for the saturation scenario (64)
          --wrk-threads N          wrk threads (2)
          --streams N              sequential streams per target per round (2000; quick 500)
          --stream-events N        content events per stream (50)
          --stream-concurrency N   concurrent streams in the concurrent streaming scenario, 0 to skip it (16)
          --stream-duration T      concurrent streaming time per target per round (5s; quick 2s)
          --warmup T               per target before measuring: this long of wrk, then of concurrent streams (3s; quick 1s)
          --nginx-workers N        nginx worker processes (2, at most the number of cores)
          --results-dir DIR        where the raw results file goes (bench/results)
          --nginx PATH, --wrk PATH binaries to use (found on PATH)
        """;

    public required string GatewayDll { get; init; }
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
    public required string ResultsDirectory { get; init; }
    public required string NginxPath { get; init; }
    public required string WrkPath { get; init; }

    /// <summary>The arguments as given, for the results file.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The settings in effect, defaults included, for the results file.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{(Quick ? "quick, " : "")}rounds {Rounds}, requests {Requests}, duration {Duration.TotalSeconds:0.#}s, connections {Connections}, " +
        $"wrk threads {WrkThreads}, streams {Streams}, stream events {StreamEvents}, stream concurrency {StreamConcurrency}, " +
        $"stream duration {StreamDuration.TotalSeconds:0.#}s, warm-up {Warmup.TotalSeconds:0.#}s, nginx workers {NginxWorkers}");

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--quick")
            {
                quick = true;
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
        var options = new BenchOptions
        {
            GatewayDll = reader.ExistingFile("gateway"),
            SimulatorDll = reader.ExistingFile("simulator"),
            Quick = quick,
            Rounds = reader.Int("rounds", quick ? 2 : 4, min: 1),
            Requests = reader.Int("requests", quick ? 1000 : 5000, min: 10),
            Duration = reader.Time("duration", TimeSpan.FromSeconds(quick ? 3 : 10)),
            Connections = reader.Int("connections", 64, min: 1),
            WrkThreads = reader.Int("wrk-threads", 2, min: 1),
            Streams = reader.Int("streams", quick ? 500 : 2000, min: 10),
            StreamEvents = reader.Int("stream-events", 50, min: 1),
            StreamConcurrency = reader.Int("stream-concurrency", 16, min: 0),
            StreamDuration = reader.Time("stream-duration", TimeSpan.FromSeconds(quick ? 2 : 5)),
            Warmup = reader.Time("warmup", TimeSpan.FromSeconds(quick ? 1 : 3)),
            NginxWorkers = reader.Int("nginx-workers", Math.Clamp(Environment.ProcessorCount, 1, 2), min: 1),
            ResultsDirectory = Path.GetFullPath(reader.String("results-dir", Path.Combine("bench", "results"))),
            NginxPath = reader.String("nginx", "nginx"),
            WrkPath = reader.String("wrk", "wrk"),
            Arguments = args,
        };
        reader.RejectUnknown();
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
