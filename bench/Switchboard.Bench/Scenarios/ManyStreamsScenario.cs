using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Hosting;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>
/// (d) <see cref="BenchOptions.ManyStreams"/> streams open at once against a slow upstream (one event every 100 ms for
/// <see cref="BenchOptions.ManyStreamSeconds"/>), opened over <see cref="BenchOptions.ManyStreamRamp"/>: does every
/// stream complete, and how much memory does the proxy hold while they are open? One turn per target; a failed
/// stream, or a proxy that dies, is counted, not fatal.
/// </summary>
internal sealed class ManyStreamsScenario(BenchOptions options, IReadOnlyList<Target> targets, ProcessHost simulator, ResultsFile results)
{
    public const string Failed = "failed";
    public const string PeakRss = "peak RSS";
    private const int IntervalMs = 100;

    /// <summary>A stream may run this much longer than scripted before it counts as failed.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    /// <summary>Slow streams send one short event at a time; a small buffer keeps thousands of them cheap.</summary>
    private const int BufferSize = 4096;

    private readonly int _events = (int)Math.Round(options.ManyStreamSeconds.TotalMilliseconds / IntervalMs);

    public static string Title(BenchOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"(d) {options.ManyStreams:#,0} concurrent slow streams");

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        results.Line(string.Create(CultureInfo.InvariantCulture,
            $"== {Title(options)}: 1 event every {IntervalMs} ms for {options.ManyStreamSeconds.TotalSeconds:0.#} s, opened over {options.ManyStreamRamp.TotalSeconds:0.#} s, one turn per target"));
        var body = RequestBodies.Utf8(RequestBodies.SlowStream(_events, IntervalMs));
        var figures = new RoundFigures(Title(options), targets.Select(target => target.Name));
        var simulatorFilesAtRest = ProcessMemory.OpenFiles(simulator.Id);
        foreach (var target in TurnOrder())
        {
            await WaitForSimulatorConnectionsToCloseAsync(simulatorFilesAtRest, cancellationToken);
            await WaitForQuietAsync(cancellationToken);
            WarnIfShortOfFileDescriptors(target);
            var memory = target.Proxy is null ? null : PeakMemory.Start(target.Proxy.Id);
            var turn = await RunTurnAsync(target, body, cancellationToken);
            var peak = memory is null ? 0 : await memory.StopAsync();
            if (target.Proxy is { HasExited: true } crashed)
            {
                // A proxy that dies under this load is a result, not a broken run; no later scenario needs it.
                results.Line($"   {target.Name} exited during its turn; its failed streams are counted below.\n{crashed.LogTail(10)}");
            }
            else
            {
                target.EnsureRunning();
            }

            figures.Add(target.Name, "completed", turn.Completed.Count, FigureUnit.Count);
            figures.Add(target.Name, Failed, turn.Failures.Count, FigureUnit.Count);
            if (turn.Completed.Count > 0)
            {
                figures.Add(target.Name, "stream total p50", Percentiles.Of(turn.Completed, 50), FigureUnit.Milliseconds);
                figures.Add(target.Name, "stream total p99", Percentiles.Of(turn.Completed, 99), FigureUnit.Milliseconds);
            }

            if (target.Proxy is not null)
            {
                figures.Add(target.Name, PeakRss, peak, FigureUnit.Bytes);
            }

            results.Line(string.Create(CultureInfo.InvariantCulture,
                $"   {target.Name,-12} {turn.Completed.Count,6} completed {turn.Failures.Count,6} failed   total p50 {Total(turn, 50)} p99 {Total(turn, 99)}{(target.Proxy is null ? "" : $"   peak RSS {ResultTable.FormatBytes(peak)}")}   ({turn.Seconds:0} s)"));
            foreach (var (reason, count) in turn.Failures.CountBy(reason => reason).OrderByDescending(pair => pair.Value).Take(5))
            {
                results.Line($"      {count} x {reason}");
            }
        }

        return figures.Medians();
    }

    /// <summary>
    /// Portkey goes last: it fails most of its streams here, and twice the gateway turn right after its collapse
    /// failed thousands of streams while a gateway turn before it failed few or none (docs/benchmarks.md, the fourth
    /// and seventh runs); whatever Portkey leaves behind, no target should carry it. The gateway goes just before it,
    /// after its variants: it keeps its idle upstream connections for a minute after its turn, so they cannot crowd
    /// the simulator during another gateway's turn.
    /// </summary>
    private IEnumerable<Target> TurnOrder() =>
        targets.Where(target => target.Name is not (Target.Switchboard or Target.Portkey))
            .Concat(targets.Where(target => target.Name == Target.Switchboard))
            .Concat(targets.Where(target => target.Name == Target.Portkey));

    private async Task<Turn> RunTurnAsync(Target target, byte[] body, CancellationToken cancellationToken)
    {
        using var client = BenchHttp.CreateClient(options.ManyStreams);
        var start = Stopwatch.GetTimestamp();
        var streams = new Task<double?>[options.ManyStreams];
        var failures = new List<string>();
        for (var i = 0; i < streams.Length; i++)
        {
            var due = options.ManyStreamRamp * i / streams.Length - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, cancellationToken);
            }

            streams[i] = StreamAsync(client, target, body, failures, cancellationToken);
        }

        var completed = (await Task.WhenAll(streams)).OfType<double>().ToList();
        return new Turn(completed, failures, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <returns>The stream's total time in ms, or null when it failed (the reason is added to <paramref name="failures"/>).</returns>
    private async Task<double?> StreamAsync(HttpClient client, Target target, byte[] body, List<string> failures, CancellationToken cancellationToken)
    {
        // HttpClient.Timeout stops at the response headers; the body of a stream needs its own deadline.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ManyStreamSeconds + Grace);
        string reason;
        try
        {
            var sample = await StreamingClient.MeasureAsync(client, target, body, _events, deadline.Token, bufferSize: BufferSize);
            return sample.TotalUs / 1000;
        }
        catch (BenchFailureException e)
        {
            reason = e.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reason = $"{target.Name}: not finished within {(options.ManyStreamSeconds + Grace).TotalSeconds:0} s";
        }

        lock (failures)
        {
            failures.Add(reason);
        }

        return null;
    }

    /// <summary>
    /// A proxy that fell behind in its turn (Portkey fails most streams) can keep working through its backlog after
    /// the turn's deadline, and would take the next target's CPU on a machine this small. Waits, at most a minute,
    /// until the simulator and every proxy together use under a tenth of a core.
    /// </summary>
    private async Task WaitForQuietAsync(CancellationToken cancellationToken)
    {
        var processes = targets.Select(target => target.Proxy).OfType<ProcessHost>().Where(p => !p.HasExited).Select(p => p.Id).Append(simulator.Id).ToList();
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var before = processes.Sum(pid => ProcessCpu.TreeTime(pid).TotalSeconds);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var busy = processes.Sum(pid => ProcessCpu.TreeTime(pid).TotalSeconds) - before;
            var waited = Stopwatch.GetElapsedTime(started);
            if (busy < 0.1 || waited > TimeSpan.FromMinutes(1))
            {
                if (waited > TimeSpan.FromSeconds(2))
                {
                    results.Line(string.Create(CultureInfo.InvariantCulture,
                        $"   waited {waited.TotalSeconds:0} s for the previous turn's work to end (last second: {busy:0.00} s of CPU)"));
                }
                return;
            }
        }
    }

    /// <summary>Connections of the previous turn (and their file descriptors in the simulator) take a moment to go.</summary>
    private async Task WaitForSimulatorConnectionsToCloseAsync(int filesAtRest, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + 90 * Stopwatch.Frequency;
        while (ProcessMemory.OpenFiles(simulator.Id) > filesAtRest + 1000 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>
    /// Each stream holds a socket in the client and the simulator, and two (client side and upstream side) in a
    /// one-process proxy over HTTP/1.1. nginx spreads them over its workers, whose limit its config raises; the
    /// gateway (every variant of it) reaches the simulator over HTTP/2, where streams share a few upstream connections.
    /// </summary>
    private void WarnIfShortOfFileDescriptors(Target target)
    {
        var (process, needed) = target.Proxy is null ? (simulator, options.ManyStreams)
            : target.Name == Target.Nginx ? (null, 0)
            : target.IsGateway ? (target.Proxy, options.ManyStreams)
            : (target.Proxy, 2 * options.ManyStreams);
        var limit = process is null ? -1 : ProcessMemory.OpenFileLimit(process.Id);
        if (limit > 0 && limit < needed + 200)
        {
            results.Line(string.Create(CultureInfo.InvariantCulture,
                $"   warning: {process!.Name} may run out of file descriptors: its limit is {limit:#,0}, {options.ManyStreams:#,0} streams need about {needed + 200:#,0}"));
        }
    }

    private static string Total(Turn turn, double percentile) => turn.Completed.Count == 0
        ? "   n/a"
        : string.Create(CultureInfo.InvariantCulture, $"{Percentiles.Of(turn.Completed, percentile) / 1000,6:0.00} s");

    private sealed record Turn(List<double> Completed, List<string> Failures, double Seconds);
}
