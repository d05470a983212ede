using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.RateLimiting;

namespace Switchboard.Tests.RateLimiting;

/// <summary>
/// Tokens per minute per key across replicas: each replica counts what its generations settled, writes it every sync
/// interval, and reads the fleet's count at most once an interval; a key at its limit is refused until the minute turns.
/// </summary>
public sealed class KeyTokenLimiterTests
{
    private static readonly TimeSpan Sync = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 20, TimeSpan.Zero));
    private readonly FakeRateWindows _store = new();

    [Fact]
    public async Task A_key_is_refused_once_its_own_replica_has_counted_the_limit()
    {
        var limiter = Replica();
        Assert.Null(await limiter.TryAcquireAsync(1, 1000, default));

        limiter.Count(1, 1000);
        var refused = await limiter.TryAcquireAsync(1, 1000, default);

        Assert.NotNull(refused);
        Assert.Equal(429, refused.Status);
        Assert.Equal("key_tokens_per_minute", refused.Metadata!.LimitSource);
        Assert.Equal(40, refused.RetryAfterSeconds);
        Assert.Equal("1000", refused.Metadata.Headers!["X-RateLimit-Limit"]);
        Assert.Equal("0", refused.Metadata.Headers["X-RateLimit-Remaining"]);
    }

    [Fact]
    public async Task Another_replica_sees_the_tokens_once_they_are_flushed_and_its_count_is_stale()
    {
        var (first, second) = (Replica(), Replica());
        Assert.Null(await second.TryAcquireAsync(1, 1000, default)); // reads the count: 0

        first.Count(1, 1200);
        await first.FlushAsync(default);
        Assert.Null(await second.TryAcquireAsync(1, 1000, default)); // its count is under a second old

        _time.Advance(Sync);
        Assert.NotNull(await second.TryAcquireAsync(1, 1000, default));
        Assert.Equal(1200, _store.Count("key-tpm:1", ClockWindow.At(_time.GetUtcNow(), TimeSpan.FromMinutes(1)).Span("").Start));
    }

    [Fact]
    public async Task The_count_starts_again_when_the_minute_turns()
    {
        var limiter = Replica();
        limiter.Count(1, 5000);
        await limiter.FlushAsync(default);
        Assert.NotNull(await limiter.TryAcquireAsync(1, 1000, default));

        _time.Advance(TimeSpan.FromSeconds(40));

        Assert.Null(await limiter.TryAcquireAsync(1, 1000, default));
    }

    [Fact]
    public async Task Tokens_that_could_not_be_written_are_kept_and_written_by_the_next_flush()
    {
        var limiter = Replica();
        limiter.Count(1, 300);
        _store.Fail = true;
        await limiter.FlushAsync(default);
        Assert.NotNull(await limiter.TryAcquireAsync(1, 300, default)); // still counted here

        _store.Fail = false;
        await limiter.FlushAsync(default);

        Assert.Equal(300, _store.Count("key-tpm:1", ClockWindow.At(_time.GetUtcNow(), TimeSpan.FromMinutes(1)).Span("").Start));
        _time.Advance(Sync);
        Assert.Null(await limiter.TryAcquireAsync(1, 301, default)); // counted once, not twice
    }

    [Fact]
    public async Task A_store_that_does_not_answer_admits_on_what_the_replica_knows()
    {
        var limiter = Replica();
        _store.Hang = true;

        var waiting = limiter.TryAcquireAsync(1, 1000, default).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await waiting);
    }

    [Fact]
    public async Task An_unlimited_key_touches_neither_the_store_nor_memory()
    {
        var limiter = Replica();

#pragma warning disable CA2012 // only asked whether it completed synchronously: the cost of an unlimited key
        Assert.True(limiter.TryAcquireAsync(1, 0, default).IsCompletedSuccessfully);
#pragma warning restore CA2012
        Assert.Null(await limiter.TryAcquireAsync(1, 0, default));
        Assert.Equal(0, _store.Calls);
        Assert.Equal(0, limiter.Tracked);
    }

    private KeyTokenLimiter Replica() => new(
        new RateLimitOptions { TokensPerMinute = 1000, StoreTimeout = TimeSpan.FromSeconds(1), TokenSyncInterval = Sync },
        _store, _time, NullLogger<KeyTokenLimiter>.Instance);
}
