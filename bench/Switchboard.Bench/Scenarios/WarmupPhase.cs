using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>
/// Before anything is measured, every target gets wrk load and concurrent streams for
/// <see cref="BenchOptions.Warmup"/> each, so the .NET processes have tiered up their hot paths, grown their
/// connection pools and thread pools, and nginx has its upstream keep-alive connections open. A gateway then keeps
/// getting the same load, in rounds, until its JIT has settled: on two busy cores tiered compilation of its ~30,000
/// methods (EF Core's among them) ran for a minute and more, and took a sixth of the gateway's CPU in a profile of
/// the streaming phase. A gateway in production runs for days; the bench measures that steady state.
/// </summary>
internal sealed class WarmupPhase(
    BenchOptions options, IReadOnlyList<Target> targets, WrkRunner wrk, ResultsFile results, IReadOnlyDictionary<string, GatewayRuntime> runtimes)
{
    private const int StreamConcurrency = 16;
    private static readonly TimeSpan SettleRound = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(120);

    /// <summary>Compilations in one settle round (wrk, then streams) below which the JIT counts as settled.</summary>
    private const long SettledCompilations = 25;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        results.Line($"== warm-up: {options.Warmup.TotalSeconds:0.#} s of wrk and {options.Warmup.TotalSeconds:0.#} s of {StreamConcurrency} concurrent streams per target;"
            + $" gateways then until their JIT settles (under {SettledCompilations} compilations in {SettleRound.TotalSeconds:0} s of each, at most {SettleLimit.TotalSeconds:0} s)");
        var body = RequestBodies.Utf8(RequestBodies.Streaming(options.StreamEvents));
        using var client = BenchHttp.CreateClient(StreamConcurrency);
        foreach (var target in targets)
        {
            var load = await wrk.RunAsync(target, options.Warmup, cancellationToken);
            results.Raw($"--- warm-up {target.Name}: {target.ChatCompletionsUrl} ---\n{load.Output.TrimEnd()}");
            var streamed = await StreamAsync(client, target, body, options.Warmup, cancellationToken);
            target.EnsureRunning();
            results.Line(string.Create(CultureInfo.InvariantCulture,
                $"   {target.Name,-12} {load.RequestsPerSecond,10:0} req/s, {streamed,6} streams"));
            if (runtimes.GetValueOrDefault(target.Name) is { } runtime)
            {
                await SettleAsync(target, runtime, client, body, cancellationToken);
            }
        }
    }

    private async Task SettleAsync(Target target, GatewayRuntime runtime, HttpClient client, byte[] body, CancellationToken cancellationToken)
    {
        var before = await JitCountAsync(runtime, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            await wrk.RunAsync(target, SettleRound, cancellationToken);
            await StreamAsync(client, target, body, SettleRound, cancellationToken);
            target.EnsureRunning();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (before < 0)
            {
                // An older build (a reference) that does not say: it gets the longest any build is given, not less.
                if (elapsed >= SettleLimit)
                {
                    results.Line(string.Create(CultureInfo.InvariantCulture,
                        $"   {target.Name,-12} does not report its JIT count: kept under load for {elapsed.TotalSeconds:0} s more"));
                    return;
                }
                continue;
            }
            var after = await JitCountAsync(runtime, cancellationToken);
            if (after - before < SettledCompilations || elapsed >= SettleLimit)
            {
                var verdict = after - before < SettledCompilations ? "JIT settled" : "JIT still compiling";
                results.Line(string.Create(CultureInfo.InvariantCulture,
                    $"   {target.Name,-12} {verdict} after {elapsed.TotalSeconds:0} s more: {after:#,0} compilations, {after - before:#,0} in the last round"));
                return;
            }
            before = after;
        }
    }

    private static async Task<long> JitCountAsync(GatewayRuntime runtime, CancellationToken cancellationToken) =>
        await runtime.ReadAsync(cancellationToken) is { } reading ? reading.JitCompiledMethods : -1;

    /// <summary>Streams to <paramref name="target"/> from <see cref="StreamConcurrency"/> workers for <paramref name="duration"/>; how many.</summary>
    private async Task<int> StreamAsync(HttpClient client, Target target, byte[] body, TimeSpan duration, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, StreamConcurrency).Select(_ => Task.Run(async () =>
        {
            var streams = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await StreamingClient.MeasureAsync(client, target, body, options.StreamEvents, cancellationToken);
                streams++;
            }

            return streams;
        }, cancellationToken));
        return (await Task.WhenAll(workers)).Sum();
    }
}
