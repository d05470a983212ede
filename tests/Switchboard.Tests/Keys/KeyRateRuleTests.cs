using System.Net;
using System.Net.Http.Json;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Keys;

/// <summary>
/// A key's own <c>requests_per_minute</c> through the gateway's limiter: the same 429 and headers as the gateway's
/// limit, never looser than it, and a change on the next request.
/// </summary>
public sealed class KeyRateRuleTests : IAsyncLifetime
{
    // Windows are aligned to the UTC clock; a fixed clock keeps every request of a test in one minute.
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 3, 10, 12, 0, 30, TimeSpan.Zero));
    private GatewayFactory _gateway = null!;
    private HttpClient _management = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.StartAsync(clock: _clock, overrides: new Dictionary<string, string?>
        {
            ["Switchboard:RateLimits:RequestsPerMinute"] = "5",
        });
        _management = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
    }

    public async Task DisposeAsync()
    {
        _management.Dispose();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task A_key_over_its_own_requests_per_minute_gets_the_limiters_429_while_another_key_keeps_the_gateways_limit()
    {
        var limited = await _management.CreateKeyAsync(new { name = "own rpm", requests_per_minute = 2 });
        using var client = _gateway.CreateGatewayClient(limited.Key);
        using var other = _gateway.CreateGatewayClient((await _management.CreateKeyAsync(new { name = "gateway rpm" })).Key);

        for (var i = 0; i < 2; i++)
        {
            using var ok = await client.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await client.PostChatAsync(ChatRequests.Body("test/multi"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter!.Delta);
        Assert.Equal("2", refused.Headers.GetValues("X-RateLimit-Limit").Single());
        var error = (await refused.JsonAsync())["error"]!;
        Assert.Equal("key_requests_per_minute", error["metadata"]!["limit_source"]!.GetValue<string>());
        Assert.StartsWith("Rate limit exceeded: 2 requests per minute for this key.", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            using var fine = await other.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        }

        // Raised on the next request (within the gateway's 5), and the minute's count carries on.
        using (var raised = await _management.PatchAsJsonAsync($"/api/v1/keys/{limited.Hash}", new { requests_per_minute = 4 }))
        {
            Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        }
        for (var i = 0; i < 2; i++)
        {
            using var admitted = await client.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }
        using var again = await client.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal("4", again.Headers.GetValues("X-RateLimit-Limit").Single());
    }

    [Fact]
    public async Task A_key_cannot_be_given_more_requests_per_minute_than_the_gateway_allows()
    {
        using var refused = await _management.PostAsJsonAsync("/api/v1/keys", new { name = "greedy", requests_per_minute = 6 });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = (await refused.JsonAsync())["error"]!;
        Assert.Equal("requests_per_minute", error["metadata"]!["param"]!.GetValue<string>());
        Assert.Contains("from 1 to 5 (the gateway's limit", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
