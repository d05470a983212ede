namespace Switchboard.Bench.Hosting;

/// <summary>
/// Samples a process tree's resident memory every 200 ms in the background and keeps the highest reading, so a
/// short peak under load is caught. <see cref="StopAsync"/> takes one last reading and returns the peak.
/// </summary>
internal sealed class PeakMemory
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly int _rootPid;
    private readonly Task _sampling;
    private volatile bool _stopping;
    private long _peakBytes;

    private PeakMemory(int rootPid)
    {
        _rootPid = rootPid;
        _sampling = Task.Run(SampleAsync);
    }

    public static PeakMemory Start(int rootPid) => new(rootPid);

    public async Task<long> StopAsync()
    {
        _stopping = true;
        await _sampling;
        Sample();
        return _peakBytes;
    }

    private async Task SampleAsync()
    {
        while (!_stopping)
        {
            Sample();
            await Task.Delay(Interval);
        }
    }

    private void Sample() => _peakBytes = Math.Max(_peakBytes, ProcessMemory.TreeResidentBytes(_rootPid));
}
