using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.Data;

namespace Switchboard.Health;

/// <summary>
/// The endpoint health changes this replica saw and has not yet told the others, one signal per endpoint: the
/// <see cref="FleetHealthExchange"/> takes them every <see cref="HealthOptions.ShareInterval"/>. Only changes land
/// here (a failure, a circuit opening or closing); a success on a healthy endpoint, the common case, costs nothing.
/// </summary>
internal sealed class FleetHealthOutbox(IOptions<SwitchboardOptions> options)
{
    private readonly ConcurrentDictionary<int, HealthSignal> _pending = new();

    /// <summary>On PostgreSQL with a share interval: replicas share a store. SQLite serves one process.</summary>
    public bool Enabled { get; } = options.Value.Database.Provider == DatabaseProvider.Postgres && options.Value.Health.ShareInterval > TimeSpan.Zero;

    /// <summary>Notes a change of the endpoint at <paramref name="index"/>.</summary>
    public void Note(int index, HealthSignal signal) =>
        _pending.AddOrUpdate(index, static (_, later) => later, static (_, earlier, later) => Merge(earlier, later), signal);

    /// <summary>Takes every pending signal.</summary>
    public List<(int Index, HealthSignal Signal)> Drain()
    {
        var drained = new List<(int, HealthSignal)>(_pending.Count);
        foreach (var index in _pending.Keys)
        {
            if (_pending.TryRemove(index, out var signal))
            {
                drained.Add((index, signal));
            }
        }
        return drained;
    }

    /// <summary>A circuit that opened stays the news when a failure follows it; a close is the latest word on either.</summary>
    private static HealthSignal Merge(HealthSignal earlier, HealthSignal later) =>
        earlier == HealthSignal.Opened && later == HealthSignal.Failed ? earlier : later;
}
