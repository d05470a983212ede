using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.RateLimiting;

/// <summary>
/// Tokens per minute per key through HTTP on one gateway (SQLite): requests are admitted while the key's tokens this
/// UTC minute are below the limit, then refused with 429 and the window's headers until the minute turns.
/// </summary>
public sealed class TokenRateLimitTests : IAsyncLifetime
{
    private const int Limit = 100;
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 3, 10, 12, 0, 30, TimeSpan.Zero));
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayFactory.StartAsync(clock: _clock, overrides: new Dictionary<string, string?>
    {
        ["Switchboard:RateLimits:TokensPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_key_is_admitted_while_its_tokens_this_minute_are_under_the_limit_and_refused_until_the_minute_turns()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        using var client = _gateway.CreateGatewayClient((await admin.CreateKeyAsync(new { name = "tpm" })).Key);
        using var other = _gateway.CreateGatewayClient((await admin.CreateKeyAsync(new { name = "other" })).Key);
        JsonObject Body() => ChatRequests.Body("test/multi", new JsonObject { ["tokens"] = 20 });

        var used = 0;
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await client.PostChatAsync(Body());
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
                break;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(used < Limit, $"admitted with {used} tokens used of {Limit}");
            var usage = (await response.JsonAsync())["usage"]!;
            used += usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>();
            response.Dispose();
        }

        Assert.NotNull(refused);
        Assert.True(used >= Limit, $"refused with {used} tokens used of {Limit}");
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter!.Delta);
        Assert.Equal("100", refused.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", refused.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 12, 1, 0, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            refused.Headers.GetValues("X-RateLimit-Reset").Single());
        var error = (await refused.JsonAsync())["error"]!;
        Assert.Equal(429, error["code"]!.GetValue<int>());
        Assert.Equal("key_tokens_per_minute", error["metadata"]!["limit_source"]!.GetValue<string>());
        refused.Dispose();
        using (var fine = await other.PostChatAsync(Body()))
        {
            Assert.Equal(HttpStatusCode.OK, fine.StatusCode); // another key has its own minute
        }

        _clock.Set(new DateTimeOffset(2026, 3, 10, 12, 1, 0, TimeSpan.Zero));
        using var again = await client.PostChatAsync(Body());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_key_s_tokens_reach_the_store_within_the_sync_interval()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        using var client = _gateway.CreateGatewayClient((await admin.CreateKeyAsync(new { name = "tpm-store" })).Key);
        using var response = await client.PostChatAsync(ChatRequests.Body("test/multi", new JsonObject { ["tokens"] = 150 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = (await response.JsonAsync())["usage"]!;
        var tokens = usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>();
        var written = DateTime.UtcNow;

        var store = StoreReader.Sqlite(_gateway.DataDirectory);
        const string Counted = """SELECT COALESCE(SUM("Count"), 0) FROM rate_windows WHERE "Scope" LIKE 'key-tpm:%'""";
        while (await store.CountAsync(Counted) < tokens && DateTime.UtcNow - written < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Equal(tokens, await store.CountAsync(Counted));
        Assert.True(DateTime.UtcNow - written < TimeSpan.FromSeconds(3), $"written after {(DateTime.UtcNow - written).TotalSeconds:0.0} s; the interval is 1 s");
    }
}
