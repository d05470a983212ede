using System.Net;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.RateLimiting;

/// <summary>Per-key requests per minute, and OpenRouter's limits on :free models, answered as 429 with Retry-After.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    // Windows are aligned to the UTC clock; a fixed clock keeps every request of a test in one minute and one day.
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 3, 10, 12, 0, 30, TimeSpan.Zero));
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayFactory.StartAsync(clock: _clock, overrides: new Dictionary<string, string?>
    {
        ["Switchboard:RateLimits:RequestsPerMinute"] = "5",
        ["Switchboard:RateLimits:FreeRequestsPerMinute"] = "1000",
        ["Switchboard:RateLimits:FreeRequestsPerDay"] = "3",
        ["Switchboard:RateLimits:FreeRequestsPerDayUnlocked"] = "6",
    });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_key_over_its_requests_per_minute_gets_429_with_retry_after_and_another_key_does_not()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        using var limited = _gateway.CreateGatewayClient((await admin.CreateKeyAsync(new { name = "rpm" })).Key);
        using var other = _gateway.CreateGatewayClient((await admin.CreateKeyAsync(new { name = "other" })).Key);

        for (var i = 0; i < 5; i++)
        {
            using var ok = await limited.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await limited.PostChatAsync(ChatRequests.Body("test/multi"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter!.Delta); // the minute ends at 12:01:00
        Assert.Equal("5", refused.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", refused.Headers.GetValues("X-RateLimit-Remaining").Single());
        var error = (await refused.JsonAsync())["error"]!;
        Assert.Equal(429, error["code"]!.GetValue<int>());
        Assert.Equal("key_requests_per_minute", error["metadata"]!["limit_source"]!.GetValue<string>());
        using var fine = await other.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task A_key_s_requests_per_minute_are_counted_in_the_store_and_start_again_when_the_minute_turns()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        using var limited = _gateway.CreateGatewayClient((await admin.CreateKeyAsync(new { name = "rpm-reset" })).Key);
        for (var i = 0; i < 5; i++)
        {
            using var ok = await limited.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var refused = await limited.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }
        Assert.Equal(5, await StoreReader.Sqlite(_gateway.DataDirectory).CountAsync(
            """SELECT COALESCE(SUM("Count"), 0) FROM rate_windows WHERE "Scope" LIKE 'key-rpm:%'"""));

        _clock.Set(new DateTimeOffset(2026, 3, 10, 12, 1, 0, TimeSpan.Zero));

        for (var i = 0; i < 5; i++)
        {
            using var ok = await limited.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refusedAgain = await limited.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedAgain.StatusCode);
    }

    [Fact]
    public async Task Free_model_daily_limit_is_raised_once_the_account_has_bought_ten_credits()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("free-tier", credits: 0m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        using var client = _gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "free" })).Key);

        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostChatAsync(ChatRequests.Body("test/free:free"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await client.PostChatAsync(ChatRequests.Body("test/free:free"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        var error = (await refused.JsonAsync())["error"]!;
        Assert.Contains("free-models-per-day", error["message"]!.GetValue<string>());
        Assert.Contains("Add 10 credits", error["message"]!.GetValue<string>());
        Assert.Equal("openrouter_free_tier_daily", error["metadata"]!["limit_source"]!.GetValue<string>());
        Assert.Equal("0", error["metadata"]!["headers"]!["X-RateLimit-Remaining"]!.GetValue<string>());

        await admin.AddCreditsAsync(account.Id, 10m);
        using var second = _gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "second" })).Key); // the limit is the account's, not the key's

        for (var i = 0; i < 3; i++)
        {
            using var ok = await second.PostChatAsync(ChatRequests.Body("test/free:free"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refusedAgain = await second.PostChatAsync(ChatRequests.Body("test/free:free"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedAgain.StatusCode);
    }

    [Fact]
    public async Task A_negative_balance_is_refused_with_402_even_for_free_models()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("in-debt", credits: 0m);
        await admin.AddCreditsAsync(account.Id, -1m, kind: "adjustment");
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        using var client = _gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "debt" })).Key);

        using var response = await client.PostChatAsync(ChatRequests.Body("test/free:free"));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("credits", (await response.JsonAsync())["error"]!["metadata"]!["limit_source"]!.GetValue<string>());
    }
}
