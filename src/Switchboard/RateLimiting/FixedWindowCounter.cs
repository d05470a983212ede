using System.Collections.Concurrent;

namespace Switchboard.RateLimiting;

/// <summary>
/// Counts requests per id in fixed windows aligned to the UTC clock (minutes start at :00, days at midnight),
/// so a window's reset time is the same for every caller and can be reported exactly. In memory, per process.
/// </summary>
internal sealed class FixedWindowCounter(TimeSpan window, TimeProvider time)
{
    private readonly long _windowTicks = window.Ticks;
    private readonly ConcurrentDictionary<long, Slot> _slots = new();

    /// <summary>Counts one request unless <paramref name="limit"/> is reached in the current window.</summary>
    public WindowDecision TryAcquire(long id, int limit)
    {
        var now = time.GetUtcNow();
        var index = now.UtcTicks / _windowTicks;
        var slot = _slots.GetOrAdd(id, static _ => new Slot());
        lock (slot)
        {
            if (slot.Window != index)
            {
                slot.Window = index;
                slot.Count = 0;
            }
            var reset = new DateTimeOffset((index + 1) * _windowTicks, TimeSpan.Zero);
            if (slot.Count >= limit)
            {
                return new WindowDecision(false, limit, 0, reset, reset - now);
            }
            slot.Count++;
            return new WindowDecision(true, limit, limit - slot.Count, reset, reset - now);
        }
    }

    /// <summary>How many requests <paramref name="id"/> has made in the current window, without counting one.</summary>
    public int Count(long id)
    {
        if (!_slots.TryGetValue(id, out var slot))
        {
            return 0;
        }
        var index = time.GetUtcNow().UtcTicks / _windowTicks;
        lock (slot)
        {
            return slot.Window == index ? slot.Count : 0;
        }
    }

    private sealed class Slot
    {
        public long Window { get; set; } = -1;
        public int Count { get; set; }
    }
}

internal readonly record struct WindowDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset Reset, TimeSpan RetryAfter)
{
    /// <summary>OpenRouter's <c>X-RateLimit-*</c> trio; the reset is in epoch milliseconds.</summary>
    public IReadOnlyDictionary<string, string> Headers() => new Dictionary<string, string>
    {
        ["X-RateLimit-Limit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["X-RateLimit-Remaining"] = Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["X-RateLimit-Reset"] = Reset.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
