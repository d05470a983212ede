using System.Collections.Concurrent;
using System.Globalization;
using Switchboard.Api;
using Switchboard.Keys;

namespace Switchboard.RateLimiting;

/// <summary>
/// Tokens per minute per inference key (its own <c>tokens_per_minute</c>, else and at most <c>Switchboard:RateLimits:TokensPerMinute</c>; 0 is unlimited), for the whole
/// fleet. A request is admitted while the key's tokens counted in the current UTC minute are below the limit; a
/// generation's tokens (prompt and completion, as billed) are counted when it settles, in the minute it settles.
/// </summary>
/// <remarks>
/// Tokens are only known once a generation ends, so they cannot be leased ahead like requests. Each replica adds what
/// its generations settled to the key's row in <c>rate_windows</c> (scope <c>key-tpm:&lt;id&gt;</c>) every
/// <see cref="RateLimitOptions.TokenSyncInterval"/> (<see cref="FlushAsync"/>, by <see cref="RateLimitUpkeep"/>),
/// and reads the fleet's count at most once per interval per key, when a request asks. Between reads it adds what it
/// counted itself. So a replica learns of another's tokens within two intervals, and a request is admitted on a count
/// at most that old: a key can go over its limit by what the fleet settles in that time, and by what requests
/// admitted below it go on to use (a request is not refused for tokens it has not used yet). Keys without a limit
/// never touch the store nor this limiter's memory.
/// </remarks>
internal sealed partial class KeyTokenLimiter(RateLimitOptions options, IRateWindows windows, TimeProvider time, ILogger<KeyTokenLimiter> logger)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>At most this many keys' counts go in one flush transaction.</summary>
    private const int FlushBatch = 500;

    private readonly ConcurrentDictionary<long, Meter> _meters = new();
    private long _outageLoggedAt;

    /// <summary>Keys with a count in memory.</summary>
    public int Tracked => _meters.Count;

    /// <summary>The one place the key's limit comes from; 0 or less is unlimited.</summary>
    public long LimitFor(CallerKey key) => key.TokensPerMinuteUnder(options.TokensPerMinute);

    public ValueTask<ApiError?> TryAcquireAsync(CallerKey key, CancellationToken cancellationToken) =>
        TryAcquireAsync(key.Id, LimitFor(key), cancellationToken);

    /// <returns>The 429 to send, or null when the request may go ahead; synchronous unless the key's count is stale.</returns>
    public ValueTask<ApiError?> TryAcquireAsync(long keyId, long limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return default;
        }
        var now = time.GetUtcNow();
        var minute = ClockWindow.At(now, Minute);
        var meter = _meters.GetOrAdd(keyId, static _ => new Meter());
        lock (meter)
        {
            Turn(meter, minute.Index);
            var used = meter.Used;
            if (used >= limit)
            {
                return ValueTask.FromResult<ApiError?>(Refusal(limit, used, minute, now));
            }
            if (now.UtcTicks - meter.ReadAt < options.TokenSyncInterval.Ticks || meter.Reading)
            {
                return default;
            }
            meter.Reading = true;
        }
        return RefreshAsync(keyId, meter, limit, minute, now, cancellationToken);
    }

    /// <summary>Counts a settled generation's tokens for the key (nothing when the key has no token limit).</summary>
    public void Settled(CallerKey key, long tokens)
    {
        if (LimitFor(key) > 0 && tokens > 0)
        {
            Count(key.Id, tokens);
        }
    }

    public void Count(long keyId, long tokens)
    {
        var minute = ClockWindow.At(time.GetUtcNow(), Minute);
        var meter = _meters.GetOrAdd(keyId, static _ => new Meter());
        lock (meter)
        {
            Turn(meter, minute.Index);
            meter.Pending += tokens;
        }
    }

    /// <summary>
    /// Adds every key's tokens settled here since the last flush to the store, in one transaction per
    /// <see cref="FlushBatch"/> keys, in scope order (so replicas flushing at once lock rows in the same order). What
    /// fails to reach the store is kept for the next flush while its minute lasts; after that it no longer decides anything.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var minute = ClockWindow.At(time.GetUtcNow(), Minute);
        var taken = new List<(long Key, Meter Meter, long Window, long Amount)>();
        foreach (var (keyId, meter) in _meters)
        {
            lock (meter)
            {
                if (meter.Pending > 0)
                {
                    taken.Add((keyId, meter, meter.Window, meter.Pending));
                    meter.Flushing += meter.Pending;
                    meter.Pending = 0;
                }
            }
        }
        if (taken.Count == 0)
        {
            return;
        }
        var rows = taken
            .Select(t => (Window: new ClockWindow(t.Window, minute.Ticks).Span(Scope(t.Key)), t.Amount))
            .ToList();
        var order = Enumerable.Range(0, rows.Count).OrderBy(i => rows[i].Window.Scope, StringComparer.Ordinal).ThenBy(i => rows[i].Window.Start).ToList();
        foreach (var chunk in order.Chunk(FlushBatch))
        {
            var ok = true;
            try
            {
                using var timeout = new CancellationTokenSource(options.StoreTimeout * 5, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                await windows.AddAllAsync([.. chunk.Select(i => rows[i])], linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ok = false;
                if (!cancellationToken.IsCancellationRequested)
                {
                    ReportOutage(ex);
                }
            }
            foreach (var i in chunk)
            {
                var (_, meter, window, amount) = taken[i];
                lock (meter)
                {
                    meter.Flushing -= amount;
                    if (meter.Window == window)
                    {
                        // Written: the fleet's count has it now (a read may not show it yet). Not written: try again.
                        if (ok)
                        {
                            meter.Fleet += amount;
                        }
                        else
                        {
                            meter.Pending += amount;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Forgets keys with nothing to flush whose minute has passed.</summary>
    public void Prune()
    {
        var current = ClockWindow.At(time.GetUtcNow(), Minute).Index;
        foreach (var (keyId, meter) in _meters)
        {
            lock (meter)
            {
                if (meter.Window < current && meter.Pending == 0 && meter.Flushing == 0 && !meter.Reading)
                {
                    _meters.TryRemove(new KeyValuePair<long, Meter>(keyId, meter));
                }
            }
        }
    }

    private async ValueTask<ApiError?> RefreshAsync(long keyId, Meter meter, long limit, ClockWindow minute, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long? fleet = null;
        try
        {
            using var timeout = new CancellationTokenSource(options.StoreTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            fleet = await windows.ReadAsync(minute.Span(Scope(keyId)), linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Fail open to what this process knows: the fleet's count as last read, and its own tokens since.
            ReportOutage(ex);
        }
        finally
        {
            lock (meter)
            {
                meter.Reading = false;
                if (meter.Window == minute.Index)
                {
                    meter.ReadAt = now.UtcTicks;
                    if (fleet is { } count)
                    {
                        // Counts only grow within a minute; a read that started before a flush landed may lag it.
                        meter.Fleet = Math.Max(meter.Fleet, count);
                    }
                }
            }
        }
        lock (meter)
        {
            var used = meter.Window == minute.Index ? meter.Used : 0;
            return used >= limit ? Refusal(limit, used, minute, now) : null;
        }
    }

    private static void Turn(Meter meter, long index)
    {
        if (meter.Window != index)
        {
            (meter.Window, meter.Fleet, meter.Pending, meter.ReadAt) = (index, 0, 0, 0);
        }
    }

    private static ApiError Refusal(long limit, long used, ClockWindow minute, DateTimeOffset now)
    {
        var decision = new WindowDecision(false, limit, 0, minute.End, minute.End - now);
        return decision.Refusal("key_tokens_per_minute",
            $"Rate limit exceeded: {limit} tokens per minute for this key ({used} used this minute). Retry after {decision.RetryAfterSeconds} s.");
    }

    private static string Scope(long keyId) => "key-tpm:" + keyId.ToString(CultureInfo.InvariantCulture);

    private void ReportOutage(Exception exception)
    {
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _outageLoggedAt);
        if (now - last >= TimeSpan.TicksPerSecond * 10 && Interlocked.CompareExchange(ref _outageLoggedAt, now, last) == last)
        {
            Log.StoreUnavailable(logger, exception is OperationCanceledException ? null : exception);
        }
    }

    private sealed class Meter
    {
        public long Window = -1;

        /// <summary>The fleet's tokens in the store for the minute, as last read or written by this process.</summary>
        public long Fleet;

        /// <summary>Settled here, not yet flushed.</summary>
        public long Pending;

        /// <summary>Being flushed now (still counted, so a flush in flight hides nothing).</summary>
        public long Flushing;

        /// <summary>When the fleet's count was last read (UTC ticks; 0 = not in this minute).</summary>
        public long ReadAt;
        public bool Reading;

        public long Used => Fleet + Pending + Flushing;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The key tokens-per-minute limit could not reach the store in time; each replica decides on the counts it has, and keeps its own tokens to write later in the minute.")]
        public static partial void StoreUnavailable(ILogger logger, Exception? exception);
    }
}
