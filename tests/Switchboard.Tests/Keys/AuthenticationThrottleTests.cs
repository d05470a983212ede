using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Keys;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Keys;

/// <summary>
/// Wrong keys over real HTTP: each client address gets a few a minute, then 429 for any key the gateway would have
/// to look up, while keys it holds in memory keep working and other addresses are untouched; a flood of random keys
/// leaves no more in memory than the caches' bounds, and that goes on its own. Clients come from different loopback
/// addresses (127.0.0.1, 127.0.0.2, …); the gateway's wall clock is fixed (keys are made at the top of a minute, the
/// test runs mid-minute), so a test's window never turns unless the test turns it.
/// </summary>
public sealed class AuthenticationThrottleTests
{
    private const int Limit = 5;
    private static readonly DateTimeOffset KeysMade = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MidMinute = KeysMade.AddSeconds(15);
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task Wrong_keys_beyond_the_limit_get_429_until_the_minute_ends_and_only_for_keys_not_in_memory_and_only_from_that_address()
    {
        var clock = new TestClock(KeysMade);
        await using var gateway = await StartAsync(clock, Limit);
        using var management = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var unseen = (await management.CreateKeyAsync(new { name = "not used yet" })).Key;
        var unseenElsewhere = (await management.CreateKeyAsync(new { name = "not used yet either" })).Key;
        await SettleAsync(clock);
        using var known = gateway.CreateClientFrom(Attacker, gateway.InferenceKey);
        await AssertStatusAsync(known, HttpStatusCode.OK); // now in memory

        for (var i = 0; i < Limit; i++)
        {
            using var wrong = gateway.CreateClientFrom(Attacker, RandomKey());
            await AssertStatusAsync(wrong, HttpStatusCode.Unauthorized);
        }
        using var throttled = gateway.CreateClientFrom(Attacker, RandomKey());
        using var refused = await throttled.GetAsync("/api/v1/key");

        var error = (await AccountClient.ReadObjectAsync(refused, HttpStatusCode.TooManyRequests))["error"]!;
        Assert.Equal(429, error["code"]!.GetValue<int>());
        Assert.Equal("authentication_failures", error["metadata"]!["limit_source"]!.GetValue<string>());
        Assert.Contains($"at most {Limit} a minute", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("45", refused.Headers.GetValues("Retry-After").Single());
        await AssertStatusAsync(known, HttpStatusCode.OK); // a key in memory costs nothing: served even now
        using var unseenFromAttacker = gateway.CreateClientFrom(Attacker, unseen);
        await AssertStatusAsync(unseenFromAttacker, HttpStatusCode.TooManyRequests); // would need a query
        using var neighbourWrong = gateway.CreateClientFrom(Neighbour, RandomKey());
        await AssertStatusAsync(neighbourWrong, HttpStatusCode.Unauthorized);
        using var neighbourRight = gateway.CreateClientFrom(Neighbour, unseenElsewhere);
        await AssertStatusAsync(neighbourRight, HttpStatusCode.OK);

        clock.Set(MidMinute.AddSeconds(45));

        await AssertStatusAsync(unseenFromAttacker, HttpStatusCode.OK);
        await AssertStatusAsync(throttled, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Wrong_management_keys_at_web_sign_in_count_against_the_same_per_address_limit()
    {
        var clock = new TestClock(KeysMade);
        await using var gateway = await StartAsync(clock, Limit);
        await SettleAsync(clock);
        using var management = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        await AssertStatusAsync(management, HttpStatusCode.OK); // now in memory
        using var browser = gateway.CreateClientFrom(IPAddress.Parse("127.0.0.3"));
        for (var i = 0; i < Limit; i++)
        {
            using var wrong = await browser.PostAsJsonAsync("/web/session", new { key = RandomKey() });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var refused = await browser.PostAsJsonAsync("/web/session", new { key = RandomKey() });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using var api = gateway.CreateClientFrom(IPAddress.Parse("127.0.0.3"), RandomKey());
        await AssertStatusAsync(api, HttpStatusCode.TooManyRequests);
        using var signedIn = await browser.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey }); // in memory
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task A_flood_of_random_keys_holds_no_more_unknown_hashes_than_the_cache_bound_and_they_go_on_their_own()
    {
        const int Bound = 200;
        await using var gateway = await StartAsync(new TestClock(MidMinute), failuresPerMinute: 0, new()
        {
            ["Switchboard:Authentication:UnknownKeyCacheSize"] = Bound.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var cache = gateway.Services.GetRequiredService<ApiKeyCache>();
        var peak = 0;

        await FloodAsync(gateway, Attacker, requests: 2_000, HttpStatusCode.Unauthorized, () => peak = Math.Max(peak, cache.UnknownCount));

        Assert.InRange(peak, 1, Bound);
        Assert.True(await EventuallyAsync(() => cache.UnknownCount == 0), $"{cache.UnknownCount} unknown hashes still held");
        using var client = gateway.CreateGatewayClient();
        await AssertStatusAsync(client, HttpStatusCode.OK);
        Assert.Equal(0, gateway.Services.GetRequiredService<AuthenticationThrottle>().TrackedAddresses); // throttle off: nothing counted
    }

    [Fact]
    public async Task With_the_default_limit_a_flood_from_one_address_gets_about_sixty_lookups_and_429_for_the_rest()
    {
        await using var gateway = await StartAsync(new TestClock(MidMinute), failuresPerMinute: null);
        var cache = gateway.Services.GetRequiredService<ApiKeyCache>();

        var statuses = await FloodAsync(gateway, Attacker, requests: 1_000, expected: null, observe: null);

        // Checking and counting are not one step, so each of the eight concurrent requests may slip past the limit once.
        var looked = statuses[HttpStatusCode.Unauthorized];
        Assert.InRange(looked, 60, 60 + 8);
        Assert.Equal(1_000 - looked, statuses[HttpStatusCode.TooManyRequests]);
        Assert.InRange(cache.UnknownCount, 0, looked);
        Assert.Equal(1, gateway.Services.GetRequiredService<AuthenticationThrottle>().TrackedAddresses);
    }

    [Fact]
    public async Task Keys_beyond_the_key_cache_size_are_dropped_from_memory_and_keep_working()
    {
        var clock = new TestClock(KeysMade);
        await using var gateway = await StartAsync(clock, Limit, new() { ["Switchboard:Authentication:KeyCacheSize"] = "10" });
        using var management = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var cache = gateway.Services.GetRequiredService<ApiKeyCache>();
        var keys = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            keys.Add((await management.CreateKeyAsync(new { name = $"key {i}" })).Key);
        }
        await SettleAsync(clock);

        for (var round = 0; round < 2; round++)
        {
            foreach (var key in keys)
            {
                using var client = gateway.CreateGatewayClient(key);
                await AssertStatusAsync(client, HttpStatusCode.OK);
                Assert.InRange(cache.KnownCount, 1, 10);
            }
        }
    }

    /// <summary>
    /// Moves the clock from <see cref="KeysMade"/> to <see cref="MidMinute"/> and waits for the key watcher to see it.
    /// It evicts every key changed within ten seconds of its previous poll, so on a clock frozen at the keys' making it
    /// would evict them every half second, and "in memory" would not last. Fifteen seconds on, it leaves them alone
    /// from its second poll after the move (the first may have read the old time); nothing signals a poll.
    /// </summary>
    private static async Task SettleAsync(TestClock clock)
    {
        clock.Set(MidMinute);
        await Task.Delay(4 * ApiKeyChangeWatcher.PollInterval);
    }

    private static Task<GatewayFactory> StartAsync(TestClock clock, int? failuresPerMinute, Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        // null: the shipped default, which the test gateways otherwise raise out of the way.
        settings["Switchboard:Authentication:FailuresPerMinute"] = failuresPerMinute?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ?? new KeyAuthenticationOptions().FailuresPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return GatewayFactory.StartAsync(settings, clock: clock);
    }

    /// <summary>Random keys from one address, eight at a time; <paramref name="observe"/> runs after each answer.</summary>
    private static async Task<Dictionary<HttpStatusCode, int>> FloodAsync(
        GatewayFactory gateway, IPAddress source, int requests, HttpStatusCode? expected, Action? observe)
    {
        using var client = gateway.CreateClientFrom(source);
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < requests)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/key");
                request.Headers.Authorization = new("Bearer", RandomKey());
                using var response = await client.SendAsync(request);
                statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                observe?.Invoke();
            }
        })));
        if (expected is { } only)
        {
            Assert.Equal([only], statuses.Keys);
        }
        return new Dictionary<HttpStatusCode, int>(statuses);
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        // Unknown hashes live a second, their generation at most two; polled, since nothing signals their going.
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            if (condition())
            {
                return true;
            }
        }
        return condition();
    }

    private static async Task AssertStatusAsync(HttpClient client, HttpStatusCode expected)
    {
        using var response = await client.GetAsync("/api/v1/key");
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static string RandomKey() => "sk-sb-v1-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
