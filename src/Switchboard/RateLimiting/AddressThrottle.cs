using System.Net;

namespace Switchboard.RateLimiting;

/// <summary>
/// Counts failures (wrong keys, wrong passwords) per client address (<see cref="ClientAddress"/>) in fixed windows
/// aligned to the UTC clock, and refuses an address once it has used up its window. In memory, per process.
/// </summary>
/// <remarks>
/// The counts live only for their window: when it turns, the whole table is dropped, so eviction costs nothing and
/// memory comes back by itself. At most <c>capacity</c> addresses are tracked in a window. One that first fails after
/// that is not counted (and a warning says so, once a window) rather than counted against a shared bucket: a shared
/// bucket would let an attacker with that many addresses throttle every client that ever mistypes.
/// </remarks>
internal sealed partial class AddressThrottle(string name, int limit, TimeSpan window, int capacity, TimeProvider time, ILogger logger)
{
    private readonly long _windowTicks = window.Ticks;
    private readonly Lock _lock = new();
    private Dictionary<ClientAddress, int> _failures = [];
    private long _window = -1;
    private bool _fullReported;

    public int Limit => limit;

    /// <summary>Addresses with failures in the current window.</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (_lock)
            {
                Turn(time.GetUtcNow().UtcTicks);
                return _failures.Count;
            }
        }
    }

    /// <returns>How long until the address may try again, or null when it may try now.</returns>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        var key = ClientAddress.From(address);
        var now = time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            Turn(now);
            return _failures.TryGetValue(key, out var count) && count >= limit
                ? TimeSpan.FromTicks((_window + 1) * _windowTicks - now)
                : null;
        }
    }

    /// <summary>This process's count of failures from the address in the current window.</summary>
    public int Failures(IPAddress? address)
    {
        var key = ClientAddress.From(address);
        lock (_lock)
        {
            Turn(time.GetUtcNow().UtcTicks);
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <returns>Whether the failure was counted (false when the address is new and the table is full).</returns>
    public bool Failed(IPAddress? address)
    {
        var key = ClientAddress.From(address);
        lock (_lock)
        {
            Turn(time.GetUtcNow().UtcTicks);
            if (_failures.TryGetValue(key, out var count))
            {
                _failures[key] = count + 1;
                return true;
            }
            if (_failures.Count < capacity)
            {
                _failures[key] = 1;
                return true;
            }
            if (!_fullReported)
            {
                _fullReported = true;
                Log.Full(logger, name, capacity);
            }
            return false;
        }
    }

    private void Turn(long nowTicks)
    {
        var index = nowTicks / _windowTicks;
        if (index != _window)
        {
            _window = index;
            // A fresh table rather than Clear(): Clear keeps the old table's capacity, which a flood grew.
            _failures = _failures.Count == 0 ? _failures : [];
            _fullReported = false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The {Throttle} throttle is tracking {Capacity} client addresses this window; failures from further addresses are not counted until it ends.")]
        public static partial void Full(ILogger logger, string throttle, int capacity);
    }
}
