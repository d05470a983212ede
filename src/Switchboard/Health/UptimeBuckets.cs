namespace Switchboard.Health;

/// <summary>Success and failure counts per UTC minute over the last day, for uptime over 5 min, 30 min and 1 day.</summary>
internal sealed class UptimeBuckets
{
    private const int Minutes = 24 * 60;
    private readonly long[] _minute = new long[Minutes];
    private readonly int[] _successes = new int[Minutes];
    private readonly int[] _failures = new int[Minutes];

    public void Record(DateTimeOffset now, bool success)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        var slot = (int)(minute % Minutes);
        if (_minute[slot] != minute)
        {
            _minute[slot] = minute;
            _successes[slot] = 0;
            _failures[slot] = 0;
        }
        if (success)
        {
            _successes[slot]++;
        }
        else
        {
            _failures[slot]++;
        }
    }

    /// <summary>Successful / (successful + failed) × 100 over the window; null when there was no traffic.</summary>
    public double? Percent(DateTimeOffset now, TimeSpan window)
    {
        var current = now.ToUnixTimeSeconds() / 60;
        var oldest = current - (long)window.TotalMinutes + 1;
        long ok = 0, failed = 0;
        for (var slot = 0; slot < Minutes; slot++)
        {
            if (_minute[slot] >= oldest && _minute[slot] <= current)
            {
                ok += _successes[slot];
                failed += _failures[slot];
            }
        }
        return ok + failed == 0 ? null : Math.Round(100.0 * ok / (ok + failed), 2);
    }
}
