using System.Globalization;
using Switchboard.Bench.Hosting;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Scenarios;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// The direct path or one step's gateway, with its own client of one keep-alive connection. A round is measured in
/// blocks that alternate between participants; the participant collects its blocks' latencies and its gateway's CPU
/// time, then reports the round's figures.
/// </summary>
internal sealed class ScalingParticipant(string name, Uri url, ScalingRequests requests, ProcessHost? gateway) : IDisposable
{
    private readonly HttpClient _client = BenchHttp.CreateClient(1);
    private readonly List<double> _samples = [];
    private TimeSpan _cpu;
    private Random _random = new(0);

    public string Name { get; } = name;

    public Task WarmUpAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        requests.WarmUpAsync(_client, url, duration, new Random(1), Name, cancellationToken);

    public void StartRound(int round)
    {
        _samples.Clear();
        _cpu = TimeSpan.Zero;
        // The same seed for every participant in a round: each sees the same sequence of key and model positions.
        _random = new Random(1000 + round);
    }

    /// <summary>
    /// CPU time is read around each block only, so a gateway's background work while others are measured is not
    /// counted; the kernel's per-process clock is precise enough for blocks this short.
    /// </summary>
    public async Task MeasureBlockAsync(int count, CancellationToken cancellationToken)
    {
        var cpuBefore = gateway is null ? TimeSpan.Zero : ProcessCpuClock.Time(gateway.Id);
        _samples.AddRange(await requests.MeasureAsync(_client, url, count, _random, Name, cancellationToken));
        if (gateway is not null)
        {
            _cpu += ProcessCpuClock.Time(gateway.Id) - cpuBefore;
            gateway.EnsureRunning();
        }
    }

    public void EndRound(int round, RoundFigures figures, ResultsFile results)
    {
        var (p50, p99) = (Percentiles.Of(_samples, 50), Percentiles.Of(_samples, 99));
        figures.Add(Name, "p50 latency", p50, FigureUnit.Microseconds);
        figures.Add(Name, "p99 latency", p99, FigureUnit.Microseconds);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"   round {round + 1} {Name,-20} p50 {p50,6:0} us   p99 {p99,6:0} us   mean {_samples.Average(),6:0} us");
        if (gateway is not null)
        {
            var cpu = _cpu.TotalMicroseconds / _samples.Count;
            figures.Add(Name, ScalingScenario.CpuPerRequest, cpu, FigureUnit.CpuMicroseconds);
            line += string.Create(CultureInfo.InvariantCulture, $"   gateway CPU {cpu,7:0.0} us/request");
        }

        results.Raw(line);
    }

    public void Dispose() => _client.Dispose();
}
