using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>
/// (a) One client, one keep-alive connection, one non-streaming request at a time: the latency a hop adds
/// when nothing is queued. Timed from sending the request to having read the whole response body.
/// </summary>
internal sealed class SequentialLatencyScenario(BenchOptions options, IReadOnlyList<Target> targets, ResultsFile results)
{
    public const string Name = "(a) non-streaming, sequential, 1 conn";

    private static readonly byte[] Body = RequestBodies.Utf8(RequestBodies.NonStreaming);

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        results.Line($"== {Name}: {options.Rounds} rounds x {options.Requests} requests per target");
        var clients = targets.ToDictionary(target => target.Name, _ => BenchHttp.CreateClient(1));
        try
        {
            var warmup = Math.Max(100, options.Requests / 10);
            foreach (var target in targets)
            {
                await MeasureAsync(clients[target.Name], target, warmup, cancellationToken);
            }

            var figures = new RoundFigures(Name, targets.Select(target => target.Name));
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var target in RoundOrder.Rotate(targets, round))
                {
                    var cpuBefore = target.ProxyCpuTime();
                    var samples = await MeasureAsync(clients[target.Name], target, options.Requests, cancellationToken);
                    var cpu = (target.ProxyCpuTime() - cpuBefore).TotalMicroseconds / samples.Count;
                    target.EnsureRunning();
                    var (p50, p99) = (Percentiles.Of(samples, 50), Percentiles.Of(samples, 99));
                    figures.Add(target.Name, "p50 latency", p50, FigureUnit.Microseconds);
                    figures.Add(target.Name, "p99 latency", p99, FigureUnit.Microseconds);
                    if (target.Proxy is not null)
                    {
                        figures.Add(target.Name, "proxy CPU/request", cpu, FigureUnit.CpuMicroseconds);
                    }

                    results.Line(string.Create(CultureInfo.InvariantCulture,
                        $"   round {round + 1} {target.Name,-12} p50 {p50,6:0} us   p99 {p99,6:0} us   mean {samples.Average(),6:0} us{ProxyCpu(target, cpu)}"));
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

    private static string ProxyCpu(Target target, double cpu) =>
        target.Proxy is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"   proxy CPU {cpu,6:0.0} us/request");

    /// <summary>Latencies in microseconds.</summary>
    private static async Task<List<double>> MeasureAsync(HttpClient client, Target target, int count, CancellationToken cancellationToken)
    {
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            using var request = BenchHttp.Post(target.ChatCompletionsUrl, Body);
            var start = Stopwatch.GetTimestamp();
            byte[] body;
            int status;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new BenchFailureException($"{target.Name}: request failed: {e.Message}");
            }

            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            if (status != 200 || body.Length == 0)
            {
                throw new BenchFailureException($"{target.Name}: HTTP {status}: {System.Text.Encoding.UTF8.GetString(body)}");
            }
        }

        return samples;
    }
}
