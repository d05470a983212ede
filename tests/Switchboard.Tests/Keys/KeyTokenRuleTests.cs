using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Keys;

/// <summary>
/// A key's own <c>tokens_per_minute</c> through the fleet's token limiter: with no gateway limit the key's own applies
/// to it alone; with one, the lower of the two.
/// </summary>
public sealed class KeyTokenRuleTests
{
    // Windows are aligned to the UTC clock; a fixed clock keeps every request of a test in one minute.
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 3, 10, 12, 0, 30, TimeSpan.Zero));

    [Theory]
    [InlineData(null, 60, 60)]
    [InlineData(100, 60, 60)]
    [InlineData(40, 60, 40)]
    public async Task A_key_over_its_own_tokens_per_minute_is_refused_while_a_key_without_one_keeps_the_gateways_rule(int? gatewayLimit, int own, int applies)
    {
        await using var gateway = await GatewayFactory.StartAsync(clock: _clock, overrides: new Dictionary<string, string?>
        {
            ["Switchboard:RateLimits:TokensPerMinute"] = gatewayLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var management = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        using var client = gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "own tpm", tokens_per_minute = own })).Key);
        JsonObject Body() => ChatRequests.Body("test/multi", new JsonObject { ["tokens"] = 15 });

        var used = 0;
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20; i++)
        {
            var response = await client.PostChatAsync(Body());
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
                break;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(used < applies, $"admitted with {used} tokens used of {applies}");
            var usage = (await response.JsonAsync())["usage"]!;
            used += usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>();
            response.Dispose();
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(used >= applies, $"refused with {used} tokens used of {applies}");
            Assert.Equal(applies.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Headers.GetValues("X-RateLimit-Limit").Single());
            Assert.Equal("key_tokens_per_minute", (await refused.JsonAsync())["error"]!["metadata"]!["limit_source"]!.GetValue<string>());
        }

        // A key without a rule of its own: no limit when the gateway has none, else the gateway's, counted apart.
        using var other = gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "no own tpm" })).Key);
        using var fine = await other.PostChatAsync(Body());
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }
}
