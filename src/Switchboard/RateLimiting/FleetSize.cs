namespace Switchboard.RateLimiting;

/// <summary>
/// How many gateway instances share the store, as last counted (<see cref="RateLimitUpkeep"/>, once a minute). A
/// limiter that cannot reach the store admits this process's share of a limit, so an outage neither lets a key
/// through unlimited nor refuses everyone.
/// </summary>
internal sealed class FleetSize
{
    private int _replicas = 1;

    public int Replicas
    {
        get => Volatile.Read(ref _replicas);
        set => Volatile.Write(ref _replicas, Math.Max(1, value));
    }

    /// <summary>This process's share of <paramref name="limit"/>: the limit over the replicas, rounded up, at least 1.</summary>
    public long Share(long limit) => Math.Max(1, (limit + Replicas - 1) / Replicas);
}
