using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

internal enum StreamingMode
{
    /// <summary>One stream at a time, events back to back: time to first token, events/s.</summary>
    Sequential,

    /// <summary>One stream at a time, events 1 ms apart: each event's forwarding delay, free of queueing.</summary>
    Paced,

    /// <summary><see cref="BenchOptions.StreamConcurrency"/> streams in flight for a fixed time.</summary>
    Concurrent,
}

/// <summary>
/// (c) Streaming answers of <see cref="BenchOptions.StreamEvents"/> content events: how long until the first token
/// reaches the client, how fast events are relayed, and how long each event takes through the hop. Every content
/// event carries the simulator's send time (<c>stamp_content</c>); in the paced mode the client subtracts it from
/// the arrival time, and a proxy's per-event forwarding delay is its median trip minus the direct path's.
/// </summary>
internal sealed class StreamingScenario(BenchOptions options, IReadOnlyList<Target> targets, ResultsFile results, StreamingMode mode)
{
    public const string EventDelayP50 = "event delay p50";
    private const int PacedIntervalMs = 1;

    private readonly byte[] _body = RequestBodies.Utf8(RequestBodies.Streaming(options.StreamEvents, mode == StreamingMode.Paced ? PacedIntervalMs : 0));

    public static string Title(BenchOptions options, StreamingMode mode) => mode switch
    {
        StreamingMode.Sequential => $"(c) streaming {options.StreamEvents} events, sequential",
        StreamingMode.Paced => $"(c) streaming {options.StreamEvents} events {PacedIntervalMs} ms apart",
        _ => $"(c) streaming {options.StreamEvents} events, {options.StreamConcurrency} concurrent",
    };

    private string Name => Title(options, mode);

    private int Connections => mode == StreamingMode.Concurrent ? options.StreamConcurrency : 1;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        results.Line(mode switch
        {
            StreamingMode.Sequential => $"== {Name}: {options.Rounds} rounds x {options.Streams} streams (at most {options.TurnLimit.TotalSeconds:0.#} s) per target",
            StreamingMode.Paced => $"== {Name}: {options.Rounds} rounds x {options.PacedStreams} streams per target",
            _ => $"== {Name}: {options.Rounds} rounds x {options.StreamDuration.TotalSeconds:0.#} s per target",
        });
        var clients = targets.ToDictionary(target => target.Name, _ => BenchHttp.CreateClient(Connections));
        try
        {
            foreach (var target in targets)
            {
                await RunTurnAsync(clients[target.Name], target, warmup: true, cancellationToken);
            }

            var figures = new RoundFigures(Name, targets.Select(target => target.Name));
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var target in RoundOrder.Rotate(targets, round))
                {
                    var cpuBefore = target.ProxyCpuTime();
                    var turn = await RunTurnAsync(clients[target.Name], target, warmup: false, cancellationToken);
                    var cpu = (target.ProxyCpuTime() - cpuBefore).TotalMicroseconds / turn.Samples.Count;
                    target.EnsureRunning();
                    results.Line(mode == StreamingMode.Paced
                        ? AddPacedFigures(figures, target, round, turn)
                        : AddFigures(figures, target, round, turn, cpu));
                }
            }

            return figures.Medians();
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    private static string AddFigures(RoundFigures figures, Target target, int round, Turn turn, double cpu)
    {
        var ttft = turn.Samples.Select(s => s.TimeToFirstTokenUs).ToList();
        var (ttft50, ttft99, total50) = (Percentiles.Of(ttft, 50), Percentiles.Of(ttft, 99), Percentiles.Of([.. turn.Samples.Select(s => s.TotalUs)], 50));
        figures.Add(target.Name, "TTFT p50", ttft50, FigureUnit.Microseconds);
        figures.Add(target.Name, "TTFT p99", ttft99, FigureUnit.Microseconds);
        figures.Add(target.Name, "stream total p50", total50, FigureUnit.Microseconds);
        figures.Add(target.Name, "events/s", turn.EventsPerSecond, FigureUnit.PerSecond);
        if (target.Proxy is not null)
        {
            figures.Add(target.Name, "proxy CPU/stream", cpu, FigureUnit.CpuMicroseconds);
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"   round {round + 1} {target.Name,-12} {turn.Samples.Count,5} streams x {turn.Samples.Average(s => s.Events):0} events   TTFT p50 {ttft50,5:0} us   p99 {ttft99,5:0} us   total p50 {total50,5:0} us   {turn.EventsPerSecond,7:0} events/s{(target.Proxy is null ? "" : $"   proxy CPU {cpu,4:0} us/stream")}");
    }

    private static string AddPacedFigures(RoundFigures figures, Target target, int round, Turn turn)
    {
        var (delay50, delay99) = (Percentiles.Of(turn.EventDelays, 50), Percentiles.Of(turn.EventDelays, 99));
        figures.Add(target.Name, EventDelayP50, delay50, FigureUnit.Microseconds);
        figures.Add(target.Name, "event delay p99", delay99, FigureUnit.Microseconds);
        return string.Create(CultureInfo.InvariantCulture,
            $"   round {round + 1} {target.Name,-12} {turn.Samples.Count,5} streams, {turn.EventDelays.Count} stamped events   event delay p50 {delay50,5:0} us   p99 {delay99,6:0} us");
    }

    /// <summary>One target's turn: the streams, the events per second relayed (over wall time) and the stamped events' trips.</summary>
    private async Task<Turn> RunTurnAsync(HttpClient client, Target target, bool warmup, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        List<StreamSample> samples;
        var delays = new List<double>();
        if (mode == StreamingMode.Concurrent)
        {
            // The warm-up phase has already loaded every target; this only opens this client's connections.
            var duration = warmup ? TimeSpan.FromSeconds(0.5) : options.StreamDuration;
            var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var workers = Enumerable.Range(0, options.StreamConcurrency)
                .Select(_ => Task.Run(() => StreamUntilAsync(client, target, deadline, cancellationToken), cancellationToken));
            samples = [.. (await Task.WhenAll(workers)).SelectMany(worker => worker)];
        }
        else
        {
            var count = mode == StreamingMode.Paced ? (warmup ? 2 : options.PacedStreams)
                : warmup ? Math.Max(20, options.Streams / 10) : options.Streams;
            var deadline = start + (long)(options.TurnLimit.TotalSeconds * Stopwatch.Frequency);
            samples = new List<StreamSample>(count);
            for (var i = 0; i < count && (mode == StreamingMode.Paced || Stopwatch.GetTimestamp() < deadline); i++)
            {
                samples.Add(await StreamingClient.MeasureAsync(
                    client, target, _body, options.StreamEvents, cancellationToken, mode == StreamingMode.Paced ? delays : null));
            }
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (mode == StreamingMode.Paced && !warmup && delays.Count < samples.Count * options.StreamEvents)
        {
            throw new BenchFailureException(
                $"{target.Name}: {delays.Count} of {samples.Count * options.StreamEvents} content events carried the simulator's send time");
        }

        return new Turn(samples, samples.Sum(s => s.Events) / seconds, delays);
    }

    private async Task<List<StreamSample>> StreamUntilAsync(HttpClient client, Target target, long deadline, CancellationToken cancellationToken)
    {
        var samples = new List<StreamSample>();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            samples.Add(await StreamingClient.MeasureAsync(client, target, _body, options.StreamEvents, cancellationToken));
        }

        return samples;
    }

    private sealed record Turn(List<StreamSample> Samples, double EventsPerSecond, List<double> EventDelays);
}
