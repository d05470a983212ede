using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>
/// Before anything is measured, every target gets wrk load and concurrent streams for
/// <see cref="BenchOptions.Warmup"/> each, so the .NET processes have tiered up their hot paths, grown their
/// connection pools and thread pools, and nginx has its upstream keep-alive connections open.
/// </summary>
internal sealed class WarmupPhase(BenchOptions options, IReadOnlyList<Target> targets, WrkRunner wrk, ResultsFile results)
{
    private const int StreamConcurrency = 16;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        results.Line($"== warm-up: {options.Warmup.TotalSeconds:0.#} s of wrk and {options.Warmup.TotalSeconds:0.#} s of {StreamConcurrency} concurrent streams per target");
        var body = RequestBodies.Utf8(RequestBodies.Streaming(options.StreamEvents));
        using var client = BenchHttp.CreateClient(StreamConcurrency);
        foreach (var target in targets)
        {
            var load = await wrk.RunAsync(target, options.Warmup, cancellationToken);
            results.Raw($"--- warm-up {target.Name}: {target.ChatCompletionsUrl} ---\n{load.Output.TrimEnd()}");

            var deadline = Stopwatch.GetTimestamp() + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
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
            var streamed = (await Task.WhenAll(workers)).Sum();
            target.EnsureRunning();
            results.Line(string.Create(CultureInfo.InvariantCulture,
                $"   {target.Name,-12} {load.RequestsPerSecond,10:0} req/s, {streamed,6} streams"));
        }
    }
}
