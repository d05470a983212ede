using System.Net;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.RateLimiting;

/// <summary>Per-key requests per minute, and OpenRouter's limits on :free models, answered as 429 with Retry-After.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
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

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await limited.PostChatAsync(ChatRequests.Body("test/multi"));
            statuses.Add(response.StatusCode);
            refused = response;
        }

        // Five fit in the minute unless the minute turned over between them; the sixth is refused in the same minute.
        if (statuses.Count(s => s == HttpStatusCode.TooManyRequests) == 1)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
            Assert.True(refused!.Headers.RetryAfter!.Delta!.Value.TotalSeconds is >= 1 and <= 60);
            Assert.Equal("5", refused.Headers.GetValues("X-RateLimit-Limit").Single());
            var error = (await refused.JsonAsync())["error"]!;
            Assert.Equal(429, error["code"]!.GetValue<int>());
            Assert.Equal("key_requests_per_minute", error["metadata"]!["limit_source"]!.GetValue<string>());
        }
        using var fine = await other.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
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
