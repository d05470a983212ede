using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.RateLimiting;

namespace Switchboard.Tests.RateLimiting;

/// <summary>
/// The per-address failure count behind the wrong-key and operator-password throttles: per address (IPv6 by its
/// /64), per UTC minute, and never more addresses in memory than its capacity.
/// </summary>
public sealed class AddressThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 20, TimeSpan.Zero));

    [Fact]
    public void An_address_at_its_limit_is_refused_until_the_minute_ends()
    {
        var throttle = Throttle(limit: 3);
        var address = IPAddress.Parse("203.0.113.7");
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(throttle.RetryAfter(address));
            throttle.Failed(address);
        }

        Assert.Equal(TimeSpan.FromSeconds(40), throttle.RetryAfter(address));
        _time.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RetryAfter(address));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(throttle.RetryAfter(address));
    }

    [Fact]
    public void Failures_from_one_address_never_refuse_another()
    {
        var throttle = Throttle(limit: 2);
        var attacker = IPAddress.Parse("203.0.113.7");
        for (var i = 0; i < 50; i++)
        {
            throttle.Failed(attacker);
        }

        Assert.NotNull(throttle.RetryAfter(attacker));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("203.0.113.8")));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("2001:db8::7")));
        Assert.Null(throttle.RetryAfter(null));
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("198.51.100.4", "::ffff:198.51.100.4", true)]
    [InlineData("198.51.100.4", "198.51.100.5", false)]
    [InlineData("::1", "127.0.0.1", false)]
    [InlineData("::", "0.0.0.0", false)]
    public void IPv6_addresses_count_by_their_64_bit_prefix_and_IPv4_by_the_whole_address(string failing, string other, bool shared)
    {
        var throttle = Throttle(limit: 1);

        throttle.Failed(IPAddress.Parse(failing));

        Assert.Equal(shared, throttle.RetryAfter(IPAddress.Parse(other)) is not null);
    }

    [Fact]
    public void Connections_without_an_address_share_one_count_of_their_own()
    {
        var throttle = Throttle(limit: 1);

        throttle.Failed(null);

        Assert.NotNull(throttle.RetryAfter(null));
        Assert.Null(throttle.RetryAfter(IPAddress.IPv6Loopback));
        Assert.Null(throttle.RetryAfter(IPAddress.IPv6Any));
    }

    [Fact]
    public void Beyond_its_capacity_new_addresses_go_uncounted_and_the_table_empties_when_the_minute_turns()
    {
        var throttle = Throttle(limit: 2, capacity: 100);
        for (var i = 0; i < 1_000; i++)
        {
            var address = Address(i);
            throttle.Failed(address);
            throttle.Failed(address);
        }

        Assert.Equal(100, throttle.TrackedAddresses);
        Assert.NotNull(throttle.RetryAfter(Address(0)));
        Assert.Null(throttle.RetryAfter(Address(500)));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, throttle.TrackedAddresses);
        Assert.Null(throttle.RetryAfter(Address(0)));
    }

    private AddressThrottle Throttle(int limit, int capacity = 1_000) =>
        new("test", limit, TimeSpan.FromMinutes(1), capacity, _time, NullLogger.Instance);

    // A fresh /64 each: the addresses an attacker holding a /48 could use.
    private static IPAddress Address(int i) => IPAddress.Parse($"2001:db8:0:{i:x}::1");
}
