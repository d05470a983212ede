using System.Collections.Concurrent;

namespace Switchboard.RateLimiting;

/// <summary>
/// Counts requests per key in fixed UTC windows for the whole fleet. A window's budget lives in the store
/// (<see cref="IRateWindows"/>); this process leases slices of it (one short statement that never grants past the
/// limit) and admits requests from its slice in memory, leasing again when the slice is used up. So across every
/// replica at most the limit is admitted in a window, exactly; what a replica leased and did not use lapses with the
/// window (<see cref="SliceSize"/> bounds it).
/// </summary>
/// <remarks>
/// A slot per key remembers the window it is in, what it leased and has not used, and whether the store said the
/// window is used up (then refusals cost no store call until the window turns). One lease per key is under way at a
/// time; concurrent requests for the same key wait for it and then take from what it brought. Every store call has
/// <see cref="RateLimitOptions.StoreTimeout"/> and the request's cancellation. When the store fails or does not
/// answer in time, the process admits its share of the limit for that window (<see cref="FleetSize.Share"/>),
/// counting what it already admitted, and tries the store again after <see cref="StoreRetry"/>.
/// </remarks>
internal sealed partial class FleetWindowCounter<TKey>(
    string name, TimeSpan window, Func<TKey, string> scopeOf, IRateWindows store, FleetSize fleet, TimeSpan storeTimeout, TimeProvider time, ILogger logger)
    where TKey : notnull
{
    /// <summary>After a failed store call, how long this key is counted in memory before the store is tried again.</summary>
    public static readonly TimeSpan StoreRetry = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<TKey, Slot> _slots = new();
    private long _outageLoggedAt;

    /// <summary>Keys with a slot in memory (pruned once their window has passed).</summary>
    public int Tracked => _slots.Count;

    /// <summary>
    /// How much a lease asks for: 1 while the limit is 60 or less (nothing a replica leases is left unused, since the
    /// request that asked uses it), otherwise a sixtieth of the limit, doubled while slices last less than a second,
    /// up to a thirty-second of the limit.
    /// </summary>
    public static long SliceSize(long limit, long previous, bool quick)
    {
        if (limit <= 60)
        {
            return 1;
        }
        var floor = Math.Max(1, limit / 60);
        var cap = Math.Max(floor, limit / 32);
        return quick ? Math.Clamp(previous * 2, floor, cap) : floor;
    }

    /// <summary>Counts one request for <paramref name="key"/> unless the fleet has used up <paramref name="limit"/> in the current window.</summary>
    public ValueTask<WindowDecision> TryAcquireAsync(TKey key, long limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = ClockWindow.At(now, window);
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        lock (slot)
        {
            if (FromMemory(slot, current, limit, now) is { } decided)
            {
                return ValueTask.FromResult(decided);
            }
        }
        return LeaseAsync(key, slot, limit, cancellationToken);
    }

    /// <summary>
    /// The fleet's count for <paramref name="key"/> in the current window: the store's, less what this process leased
    /// and has not used (other replicas' unused slices are still in it). This process's own count when the store fails.
    /// </summary>
    public async Task<long> CountAsync(TKey key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = ClockWindow.At(now, window);
        _slots.TryGetValue(key, out var slot);
        try
        {
            using var timeout = new CancellationTokenSource(storeTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var count = await store.ReadAsync(current.Span(Scope(key)), linked.Token).ConfigureAwait(false);
            if (slot is null)
            {
                return count;
            }
            lock (slot)
            {
                return slot.Window == current.Index ? Math.Max(slot.Admitted, count - slot.Unused) : count;
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ReportOutage(now, ex);
            if (slot is null)
            {
                return 0;
            }
            lock (slot)
            {
                return slot.Window == current.Index ? slot.Admitted : 0;
            }
        }
    }

    /// <summary>Forgets keys whose window has passed and that no request is leasing for.</summary>
    public void Prune()
    {
        var current = ClockWindow.At(time.GetUtcNow(), window).Index;
        foreach (var (key, slot) in _slots)
        {
            if (Volatile.Read(ref slot.Window) < current && slot.Leasing.CurrentCount == 1)
            {
                _slots.TryRemove(new KeyValuePair<TKey, Slot>(key, slot));
            }
        }
    }

    private async ValueTask<WindowDecision> LeaseAsync(TKey key, Slot slot, long limit, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(storeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var now = time.GetUtcNow();
        var current = ClockWindow.At(now, window);
        try
        {
            await slot.Leasing.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                long want;
                now = time.GetUtcNow();
                current = ClockWindow.At(now, window);
                lock (slot)
                {
                    // Another request's lease may have brought enough, or found the window used up.
                    if (FromMemory(slot, current, limit, now) is { } decided)
                    {
                        return decided;
                    }
                    var quick = slot.LastLease != 0 && now.UtcTicks - slot.LastLease < TimeSpan.TicksPerSecond;
                    want = slot.Slice = SliceSize(limit, slot.Slice, quick);
                    slot.LastLease = now.UtcTicks;
                }
                var lease = await store.LeaseAsync(current.Span(Scope(key)), want, limit, linked.Token).ConfigureAwait(false);
                lock (slot)
                {
                    var sameWindow = slot.Window == current.Index;
                    if (lease.Granted <= 0)
                    {
                        if (sameWindow)
                        {
                            slot.FullAt = limit;
                            slot.Seen = limit;
                        }
                        return Refused(current, limit, now);
                    }
                    if (sameWindow)
                    {
                        // The window may have turned while the store answered: the lease was then for the old one,
                        // which counts this request, and its rest lapses with it.
                        slot.Seen = Math.Max(slot.Seen, lease.Count);
                        slot.Unused += lease.Granted - 1;
                        slot.Admitted++;
                    }
                    return Admitted(current, limit, sameWindow ? Math.Max(0, limit - slot.Seen) + slot.Unused : limit - lease.Count, now);
                }
            }
            finally
            {
                slot.Leasing.Release();
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ReportOutage(now, ex);
            lock (slot)
            {
                Turn(slot, current.Index);
                slot.StoreDownUntil = now.UtcTicks + StoreRetry.Ticks;
                return Fallback(slot, current, limit, now);
            }
        }
    }

    /// <summary>The decision memory can make (under the slot's lock), or null when the store must be asked.</summary>
    private WindowDecision? FromMemory(Slot slot, ClockWindow current, long limit, DateTimeOffset now)
    {
        Turn(slot, current.Index);
        if (slot.Unused > 0)
        {
            slot.Unused--;
            slot.Admitted++;
            return Admitted(current, limit, Math.Max(0, limit - slot.Seen) + slot.Unused, now);
        }
        if (slot.FullAt > 0 && limit <= slot.FullAt)
        {
            return Refused(current, limit, now);
        }
        return now.UtcTicks < slot.StoreDownUntil ? Fallback(slot, current, limit, now) : null;
    }

    /// <summary>Without the store: this process's share of the limit, counting what it admitted in the window already.</summary>
    private WindowDecision Fallback(Slot slot, ClockWindow current, long limit, DateTimeOffset now)
    {
        var share = fleet.Share(limit);
        if (slot.Admitted >= share)
        {
            return Refused(current, limit, now);
        }
        slot.Admitted++;
        return Admitted(current, limit, share - slot.Admitted, now);
    }

    private static void Turn(Slot slot, long index)
    {
        if (slot.Window != index)
        {
            Volatile.Write(ref slot.Window, index);
            (slot.Unused, slot.Seen, slot.Admitted, slot.FullAt) = (0, 0, 0, 0);
        }
    }

    private static WindowDecision Admitted(ClockWindow current, long limit, long remaining, DateTimeOffset now) =>
        new(true, limit, Math.Max(0, remaining), current.End, current.End - now);

    private static WindowDecision Refused(ClockWindow current, long limit, DateTimeOffset now) =>
        new(false, limit, 0, current.End, current.End - now);

    private string Scope(TKey key) => scopeOf(key);

    private void ReportOutage(DateTimeOffset now, Exception exception)
    {
        // Once per ten seconds per limit, however many keys notice.
        var last = Interlocked.Read(ref _outageLoggedAt);
        if (now.UtcTicks - last >= TimeSpan.TicksPerSecond * 10 && Interlocked.CompareExchange(ref _outageLoggedAt, now.UtcTicks, last) == last)
        {
            Log.StoreUnavailable(logger, name, StoreRetry, exception is OperationCanceledException ? null : exception);
        }
    }

    private sealed class Slot
    {
        /// <summary>Taken by whoever leases for the key, so concurrent requests make one store call, not many (never disposed: no wait handle is ever made).</summary>
        public SemaphoreSlim Leasing { get; } = new(1, 1);
        public long Window = -1;

        /// <summary>Leased by this process in the window and not used yet.</summary>
        public long Unused;

        /// <summary>The fleet's count in the store as of this process's last lease.</summary>
        public long Seen;

        /// <summary>Admitted by this process in the window (from leases, or its share without the store).</summary>
        public long Admitted;

        /// <summary>
        /// The limit at which the store granted nothing (0 while it has): the window is used up across the fleet for
        /// that limit, not for a higher one (an account that unlocks a larger daily allowance, a key whose limit is raised).
        /// </summary>
        public long FullAt;

        public long Slice = 1;
        public long LastLease;
        public long StoreDownUntil;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The {Limit} limit could not reach the store in time; each replica admits its share of the limit for {Retry} before trying again.")]
        public static partial void StoreUnavailable(ILogger logger, string limit, TimeSpan retry, Exception? exception);
    }
}
