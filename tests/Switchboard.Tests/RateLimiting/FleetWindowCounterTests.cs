using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.RateLimiting;

namespace Switchboard.Tests.RateLimiting;

/// <summary>
/// The slices of a window's budget that replicas lease from the store: never more than the limit across them, the
/// limit itself when demand is there (less at most what slices leave unused), a window that turns with the clock,
/// and a store that does not answer met with each replica's share of the limit.
/// </summary>
public sealed class FleetWindowCounterTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 20, TimeSpan.Zero));
    private readonly FakeRateWindows _store = new();
    private readonly FleetSize _fleet = new();

    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    public async Task Three_replicas_admit_exactly_the_limit_in_a_window_when_it_is_sixty_or_less(int limit)
    {
        var replicas = Replicas(3);

        var admitted = await AcquireRoundRobinAsync(replicas, requests: limit * 3, limit);

        Assert.Equal(limit, admitted);
        Assert.Equal(limit, _store.Count("test:1", WindowStart()));
    }

    [Theory]
    [InlineData(600)]
    [InlineData(10_000)]
    public async Task Three_replicas_with_larger_slices_never_pass_the_limit_and_leave_at_most_their_slices_unused(int limit)
    {
        var replicas = Replicas(3);

        var admitted = await AcquireRoundRobinAsync(replicas, requests: limit * 2, limit);

        // Every request in one instant: slices double up to a thirty-second of the limit.
        var tolerance = 3 * (Math.Max(1, limit / 32) - 1);
        Assert.InRange(admitted, limit - tolerance, limit);
        Assert.Equal(limit, _store.Count("test:1", WindowStart()));
    }

    [Fact]
    public async Task A_used_up_window_refuses_without_asking_the_store_again_until_it_turns()
    {
        var counter = Replicas(1)[0];
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await counter.TryAcquireAsync(1, 5, default)).Allowed);
        }
        var refused = await counter.TryAcquireAsync(1, 5, default);
        var calls = _store.Calls;

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(40), refused.RetryAfter);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 12, 1, 0, TimeSpan.Zero), refused.Reset);
        for (var i = 0; i < 10; i++)
        {
            Assert.False((await counter.TryAcquireAsync(1, 5, default)).Allowed);
        }
        Assert.Equal(calls, _store.Calls);

        _time.Advance(TimeSpan.FromSeconds(40)); // 12:01:00, a new window
        Assert.True((await counter.TryAcquireAsync(1, 5, default)).Allowed);
    }

    [Fact]
    public async Task A_raised_limit_leases_again_in_a_window_that_was_used_up_at_the_lower_one()
    {
        var counter = Replicas(1)[0];
        for (var i = 0; i < 3; i++)
        {
            await counter.TryAcquireAsync(1, 3, default);
        }
        Assert.False((await counter.TryAcquireAsync(1, 3, default)).Allowed);

        Assert.True((await counter.TryAcquireAsync(1, 4, default)).Allowed); // an account that unlocked a larger allowance
        Assert.False((await counter.TryAcquireAsync(1, 4, default)).Allowed);
    }

    [Fact]
    public async Task A_restarted_replica_finds_the_window_as_the_fleet_left_it()
    {
        var before = Replicas(1)[0];
        for (var i = 0; i < 30; i++)
        {
            await before.TryAcquireAsync(1, 30, default);
        }

        var restarted = Replicas(1)[0]; // a new process: nothing in memory, the same store

        Assert.False((await restarted.TryAcquireAsync(1, 30, default)).Allowed);
    }

    [Fact]
    public async Task Keys_are_counted_apart()
    {
        var counter = Replicas(1)[0];
        Assert.True((await counter.TryAcquireAsync(1, 1, default)).Allowed);
        Assert.False((await counter.TryAcquireAsync(1, 1, default)).Allowed);

        Assert.True((await counter.TryAcquireAsync(2, 1, default)).Allowed);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_in_time_leaves_each_replica_its_share_of_the_limit_then_is_asked_again()
    {
        _fleet.Replicas = 3;
        var counter = Replicas(1)[0];
        Assert.True((await counter.TryAcquireAsync(1, 30, default)).Allowed); // one leased before the outage
        _store.Hang = true;

        var waiting = counter.TryAcquireAsync(1, 30, default).AsTask();
        Assert.False(waiting.IsCompleted);
        _time.Advance(StoreTimeout);
        var decided = await waiting;

        // The share is 10 of 30; one was admitted through the store already, so nine more now.
        Assert.True(decided.Allowed);
        var admitted = 2;
        for (var i = 0; i < 20; i++)
        {
            admitted += (await counter.TryAcquireAsync(1, 30, default)).Allowed ? 1 : 0;
        }
        Assert.Equal(10, admitted);

        _store.Hang = false;
        _time.Advance(FleetWindowCounter<long>.StoreRetry);
        var calls = _store.Calls;
        Assert.True((await counter.TryAcquireAsync(1, 30, default)).Allowed); // the store again: 1 of its 30 leased so far
        Assert.Equal(calls + 1, _store.Calls);
    }

    [Fact]
    public async Task A_store_that_fails_is_met_with_the_share_and_never_an_exception()
    {
        _fleet.Replicas = 2;
        _store.Fail = true;
        var counter = Replicas(1)[0];

        var admitted = 0;
        for (var i = 0; i < 10; i++)
        {
            admitted += (await counter.TryAcquireAsync(1, 5, default)).Allowed ? 1 : 0;
        }

        Assert.Equal(3, admitted); // 5 over 2 replicas, rounded up
    }

    [Fact]
    public async Task The_count_reported_is_the_fleet_s_less_what_this_replica_leased_and_has_not_used()
    {
        var replicas = Replicas(2);
        for (var i = 0; i < 200; i++)
        {
            await replicas[i % 2].TryAcquireAsync(1, 6000, default);
        }

        var count = await replicas[0].CountAsync(1, default);

        // Replica 1's unused slice is still in the store's count: at most one slice over.
        Assert.InRange(count, 200, 200 + 6000 / 32);
    }

    [Fact]
    public async Task A_key_without_a_request_limit_never_reaches_the_counter_nor_the_store()
    {
        var limiter = new KeyRateLimiter(new RateLimitOptions { RequestsPerMinute = 0 }, _store, _fleet, _time, NullLogger<KeyRateLimiter>.Instance);

#pragma warning disable CA2012 // only asked whether it completed synchronously: the cost of an unlimited key
        Assert.True(limiter.TryAcquireAsync(keyId: 1, limit: 0, default).IsCompletedSuccessfully);
#pragma warning restore CA2012
        Assert.Null(await limiter.TryAcquireAsync(keyId: 1, limit: 0, default));
        Assert.Equal(0, _store.Calls);
        Assert.Equal(0, limiter.Counter.Tracked);
    }

    [Fact]
    public async Task The_request_limiter_refuses_with_the_window_s_headers_and_its_limit_source()
    {
        var limiter = new KeyRateLimiter(new RateLimitOptions { RequestsPerMinute = 2 }, _store, _fleet, _time, NullLogger<KeyRateLimiter>.Instance);
        Assert.Null(await limiter.TryAcquireAsync(1, 2, default));
        Assert.Null(await limiter.TryAcquireAsync(1, 2, default));

        var refused = await limiter.TryAcquireAsync(1, 2, default);

        Assert.NotNull(refused);
        Assert.Equal("key_requests_per_minute", refused.Metadata!.LimitSource);
        Assert.Equal(40, refused.RetryAfterSeconds);
        Assert.Equal("2", refused.Metadata.Headers!["X-RateLimit-Limit"]);
        Assert.Equal("0", refused.Metadata.Headers["X-RateLimit-Remaining"]);
    }

    [Theory]
    [InlineData(1, 1, false, 1)]
    [InlineData(60, 1, true, 1)]
    [InlineData(600, 10, false, 10)]
    [InlineData(600, 10, true, 18)] // doubled, capped at 600 / 32
    [InlineData(6000, 100, true, 187)]
    [InlineData(6000, 187, false, 100)] // a slow slice: back to a sixtieth
    public void Slices_are_one_for_small_limits_and_grow_with_the_limit_and_the_rate(long limit, long previous, bool quick, long expected) =>
        Assert.Equal(expected, FleetWindowCounter<long>.SliceSize(limit, previous, quick));

    private List<FleetWindowCounter<long>> Replicas(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new FleetWindowCounter<long>(
            "test", Minute, static id => "test:" + id, _store, _fleet, StoreTimeout, _time, NullLogger.Instance))];

    private static async Task<int> AcquireRoundRobinAsync(List<FleetWindowCounter<long>> replicas, int requests, long limit)
    {
        var decisions = await Task.WhenAll(Enumerable.Range(0, requests)
            .Select(i => replicas[i % replicas.Count].TryAcquireAsync(1, limit, default).AsTask()));
        return decisions.Count(d => d.Allowed);
    }

    private long WindowStart() => ClockWindow.At(_time.GetUtcNow(), Minute).Span("").Start;
}
