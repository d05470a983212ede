using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>
/// (e) Traffic shaped like a real deployment's, at <see cref="BenchOptions.MixConcurrency"/> requests in flight: the
/// upstream takes 60 ms to answer, 30 % of requests stream, and requests are spread over many keys and
/// <see cref="BenchCatalog.MixModels"/> models. Every target gets the same sequence of requests; only the gateway
/// tells keys and models apart. Latency runs to the whole body or to <c>[DONE]</c>. The keys are created through
/// the gateway's key API first.
/// </summary>
internal sealed class MixScenario(BenchOptions options, BenchEnvironment environment, ResultsFile results)
{
    public const int LatencyMs = 60;
    public const int StreamingPercent = 30;
    private const int StreamEvents = 20;

    /// <summary>Bodies by model, non-streaming then streaming.</summary>
    private readonly byte[][][] _bodies = [.. Enumerable.Range(0, BenchCatalog.MixModels).Select(model => new[]
    {
        RequestBodies.Utf8(RequestBodies.Mix(BenchCatalog.MixModel(model), stream: false, LatencyMs, RequestBodies.NonStreamingTokens)),
        RequestBodies.Utf8(RequestBodies.Mix(BenchCatalog.MixModel(model), stream: true, LatencyMs, StreamEvents)),
    })];

    private IReadOnlyList<string> _keys = [];

    public static string Title(BenchOptions options) => string.Create(CultureInfo.InvariantCulture,
        $"(e) mix: {LatencyMs} ms upstream, {StreamingPercent} % streamed, {options.MixConcurrency} in flight");

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        results.Line(string.Create(CultureInfo.InvariantCulture,
            $"== {Title(options)}: {options.MixKeys:#,0} keys, {BenchCatalog.MixModels} models, {options.Rounds} rounds x {options.MixDuration.TotalSeconds:0.#} s per target"));
        _keys = await CreateKeysAsync(cancellationToken);
        var targets = environment.Targets;
        var figures = new RoundFigures(Title(options), targets.Select(target => target.Name));
        using var client = BenchHttp.CreateClient(options.MixConcurrency);
        foreach (var target in targets)
        {
            await RunTurnAsync(client, target, TimeSpan.FromSeconds(1), cancellationToken);
        }

        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var target in RoundOrder.Rotate(targets, round))
            {
                var cpuBefore = target.ProxyCpuTime();
                var (latencies, seconds) = await RunTurnAsync(client, target, options.MixDuration, cancellationToken);
                var cpu = (target.ProxyCpuTime() - cpuBefore).TotalMicroseconds / latencies.Count;
                target.EnsureRunning();
                var (rate, p50, p99) = (latencies.Count / seconds, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99));
                figures.Add(target.Name, "requests/s", rate, FigureUnit.PerSecond);
                figures.Add(target.Name, "p50 latency", p50, FigureUnit.Milliseconds);
                figures.Add(target.Name, "p99 latency", p99, FigureUnit.Milliseconds);
                if (target.Proxy is not null)
                {
                    figures.Add(target.Name, "proxy CPU/request", cpu, FigureUnit.CpuMicroseconds);
                }

                results.Line(string.Create(CultureInfo.InvariantCulture,
                    $"   round {round + 1} {target.Name,-12} {rate,7:0} req/s   p50 {p50,7:0.00} ms   p99 {p99,7:0.00} ms{(target.Proxy is null ? "" : $"   proxy CPU {cpu,6:0.0} us/request")}"));
            }
        }

        return figures.Medians();
    }

    /// <summary>Without the gateway among the targets, keys mean nothing to anyone and the run's one key will do.</summary>
    private async Task<IReadOnlyList<string>> CreateKeysAsync(CancellationToken cancellationToken)
    {
        if (environment.GatewayUrl is not { } gateway)
        {
            return [BenchHttp.ApiKey];
        }

        var started = Stopwatch.GetTimestamp();
        using var keys = new InferenceKeys(gateway, BenchEnvironment.ManagementKey);
        var created = await keys.CreateManyAsync("mix", options.MixKeys, cancellationToken);
        results.Line(string.Create(CultureInfo.InvariantCulture,
            $"   created {created.Count:#,0} inference keys through POST /api/v1/keys in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"));
        return created;
    }

    /// <summary>Latencies in ms of every request that finished in the turn, and the turn's length in seconds.</summary>
    private async Task<(List<double> Latencies, double Seconds)> RunTurnAsync(HttpClient client, Target target, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var next = -1L;
        var workers = Enumerable.Range(0, options.MixConcurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var (key, body, stream) = Pick(Interlocked.Increment(ref next));
                var sent = Stopwatch.GetTimestamp();
                if (stream)
                {
                    await StreamingClient.MeasureAsync(client, target, body, StreamEvents, cancellationToken, apiKey: key);
                }
                else
                {
                    await BenchHttp.CompleteAsync(client, target, body, cancellationToken, key);
                }

                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }

            return latencies;
        }, cancellationToken));
        var all = (await Task.WhenAll(workers)).SelectMany(latencies => latencies).ToList();
        return (all, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Request <paramref name="n"/> of the sequence: a key, a model and streaming or not, well spread by a multiplicative hash.</summary>
    private (string Key, byte[] Body, bool Stream) Pick(long n)
    {
        var hash = (ulong)n * 0x9E3779B97F4A7C15UL;
        var stream = (int)((hash >> 50) % 100) < StreamingPercent;
        var model = (int)((hash >> 30) % BenchCatalog.MixModels);
        var key = _keys[(int)((hash >> 10) % (ulong)_keys.Count)];
        return (key, _bodies[model][stream ? 1 : 0], stream);
    }
}
