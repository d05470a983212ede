using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Billing;

/// <summary>
/// Long-context tiers, reasoning, output-image and per-image prices through real HTTP (issue 17). <c>test/tiered</c>
/// costs 1/2 USD per million tokens (cache reads 0.5), 2/4 (1) above 1,000 prompt tokens and 3/6 (1.5) above 5,000,
/// on an OpenAI-compatible, an Anthropic and a Gemini upstream. The whole request is charged at the tier its billed
/// prompt (cached tokens included) falls in; the hold at the tier of the prompt's bound; and the charge never exceeds
/// the hold, which the gateway's audit at disposal confirms for every test (nothing uncollected).
/// </summary>
public sealed class TieredPriceTests : IAsyncLifetime
{
    private const string Tiered = "test/tiered";
    private const string Painter = "test/painter";
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayFactory.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("alpha", false, 1000, 0, 1)] // at the threshold: the base
    [InlineData("alpha", true, 1000, 0, 1)]
    [InlineData("alpha", false, 1001, 0, 2)] // one token above: tier 1 for the whole request
    [InlineData("alpha", true, 1001, 0, 2)]
    [InlineData("alpha", false, 1001, 601, 2)] // 400 uncached + 601 cached: the cached tokens cross the threshold
    [InlineData("alpha", true, 5001, 4500, 3)]
    [InlineData("claude", false, 1001, 601, 2)] // Anthropic reports input_tokens without the cache reads
    [InlineData("claude", true, 1001, 601, 2)]
    [InlineData("claude", true, 5001, 0, 3)]
    [InlineData("gem", false, 1001, 601, 2)]
    [InlineData("gem", true, 1001, 601, 2)]
    [InlineData("gem", false, 5001, 2000, 3)]
    public async Task A_request_is_charged_wholly_at_the_tier_its_prompt_falls_in(string provider, bool stream, int prompt, int cached, int tier)
    {
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m);
        var body = Pinned(Tiered, provider, Script(prompt, completion: 40, cached), pad: 5_100, stream: stream);
        body["max_tokens"] = 100;

        var (id, usage) = await SendAsync(client, body, stream);

        var (promptPrice, completionPrice, cachePrice) = TierPrices(tier);
        var promptCost = ((prompt - cached) * promptPrice + cached * cachePrice) / 1_000_000m;
        var completionCost = 40 * completionPrice / 1_000_000m;
        Assert.Equal(prompt, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(promptCost + completionCost, usage["cost"]!.GetValue<decimal>());
        Assert.Equal(promptCost, usage["cost_details"]!["upstream_inference_prompt_cost"]!.GetValue<decimal>());
        Assert.Equal(completionCost, usage["cost_details"]!["upstream_inference_completions_cost"]!.GetValue<decimal>());
        await AssertChargedAsync(client, account.Id, id, promptCost + completionCost, credits: 100m);
    }

    [Fact]
    public async Task The_hold_is_priced_at_the_tier_of_the_prompts_bound()
    {
        // 1,000 output tokens. A prompt bound of about 1,100 tokens holds 2 × 1,100 + 4 × 1,000 µUSD at tier 1, above
        // the 5,000 µUSD the account has, though the base prices (1 × 1,100 + 2 × 1,000) would fit. A bound of about
        // 800 tokens holds at the base and fits. The text is one run without spaces, so a tokenizer counts its bytes.
        var (_, above, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 0.005m);
        var (_, below, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 0.005m);
        var tooLong = Pinned(Tiered, "alpha", new JsonObject { ["tokens"] = 1 }, pad: 1_000);
        var shortEnough = Pinned(Tiered, "alpha", new JsonObject { ["tokens"] = 1 }, pad: 650);
        tooLong["max_tokens"] = 1_000;
        shortEnough["max_tokens"] = 1_000;
        Assert.InRange(Bound(tooLong), 1_001, 1_499);
        Assert.InRange(Bound(shortEnough), 1, 1_000);

        using var refused = await above.PostChatAsync(tooLong);
        using var admitted = await below.PostChatAsync(shortEnough);

        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Equal("credits", (await refused.JsonAsync())["error"]!["metadata"]!["limit_source"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    /// <summary>
    /// The invariant under attack: an account holding exactly the hold of a prompt just above the threshold, and a
    /// provider reporting the most an honest one can (the prompt at its bound, the whole output allowance), cached
    /// tokens or not, streamed or not, the client leaving mid-stream or not. Priced at the base tier the hold would
    /// be half the charge; at the bound's tier it is exactly the charge, so the balance ends at zero or above and
    /// nothing is uncollected.
    /// </summary>
    [Theory]
    [InlineData("alpha", false, 0, false)]
    [InlineData("alpha", true, 0, false)]
    [InlineData("alpha", false, 900, false)]
    [InlineData("alpha", true, 900, true)]
    [InlineData("claude", false, 0, false)]
    [InlineData("claude", true, 900, false)]
    [InlineData("claude", true, 0, true)]
    [InlineData("gem", true, 0, false)]
    [InlineData("gem", true, 900, true)]
    public async Task A_prompt_just_above_a_threshold_is_never_charged_more_than_its_hold(string provider, bool stream, int cached, bool leave)
    {
        const int maxTokens = 300;
        var body = AtItsBound(provider, stream, cached, maxTokens, leave);
        var bound = Bound(body);
        Assert.InRange(bound, 1_001, 1_010);
        var hold = (bound * 2m + maxTokens * 4m) / 1_000_000m; // tier 1 at the bound
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: hold);

        decimal cost;
        if (leave)
        {
            string id;
            using (var response = await client.PostStreamAsync(body))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                id = response.Headers.GetValues("X-Generation-Id").Single();
                var received = 0;
                await foreach (var message in SseClient.ReadAsync(response))
                {
                    if (message.Data is not null && ++received == 5)
                    {
                        break; // the client is gone
                    }
                }
            }
            var record = await BillingTestKit.GenerationAsync(client, id);
            Assert.True(record["tokens_estimated"]!.GetValue<bool>());
            cost = record["total_cost"]!.GetValue<decimal>();
            // Priced from the estimate (the prompt at four bytes a token, unless the provider sent its count), at the
            // tier that estimate falls in.
            Assert.Equal(Price(record["native_tokens_prompt"]!.GetValue<int>(), record["native_tokens_cached"]!.GetValue<int>(), record["native_tokens_completion"]!.GetValue<int>()), cost);
        }
        else
        {
            var (id, usage) = await SendAsync(client, body, stream);
            cost = usage["cost"]!.GetValue<decimal>();
            Assert.Equal(Price(bound, cached, maxTokens), cost);
            Assert.Equal(cost, (await BillingTestKit.GenerationAsync(client, id))["total_cost"]!.GetValue<decimal>());
            if (cached == 0)
            {
                Assert.Equal(hold, cost);
            }
        }

        Assert.InRange(cost, 0m, hold);
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var audit = await admin.AssertLedgerBalancedAsync(account.Id);
        Assert.Equal(hold - cost, audit["balance"]!.GetValue<decimal>());
        Assert.Equal(0m, audit["uncollected"]!.GetValue<decimal>());

        static decimal Price(int prompt, int cached, int completion)
        {
            var (promptPrice, completionPrice, cachePrice) = TierPrices(prompt > 5_000 ? 3 : prompt > 1_000 ? 2 : 1);
            return ((prompt - cached) * promptPrice + cached * cachePrice + completion * completionPrice) / 1_000_000m;
        }
    }

    [Fact]
    public async Task The_hold_is_exactly_the_tier_priced_worst_case_not_more()
    {
        const int maxTokens = 300;
        var body = AtItsBound("alpha", stream: false, cached: 0, maxTokens, leave: false);
        var hold = (Bound(body) * 2m + maxTokens * 4m) / 1_000_000m;
        var (_, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: hold - 0.000001m);

        using var response = await client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
    }

    [Theory]
    [InlineData("alpha", false)]
    [InlineData("alpha", true)]
    [InlineData("gem", false)]
    [InlineData("gem", true)]
    public async Task Reasoning_output_images_and_input_images_are_charged_at_their_own_prices(string provider, bool stream)
    {
        // test/painter: prompt 1, completion 2, internal_reasoning 5, image_output 30 USD per million; 0.01 per input image.
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m);
        var script = new JsonObject
        {
            ["tokens"] = 20,
            ["usage"] = new JsonObject { ["prompt_tokens"] = 50, ["completion_tokens"] = 100, ["reasoning_tokens"] = 30, ["image_tokens"] = 50 },
        };
        var body = new JsonObject
        {
            ["model"] = Painter,
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(
                    new JsonObject { ["type"] = "text", ["text"] = $"Paint this twice <simulator>{script.ToJsonString()}</simulator>" },
                    new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = $"data:image/png;base64,{Png}" } },
                    new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = $"data:image/png;base64,{Png}" } }),
            }),
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
            ["max_tokens"] = 200,
        };
        if (stream)
        {
            body["stream"] = true;
        }

        var (id, usage) = await SendAsync(client, body, stream);

        var promptCost = 50 * 1m / 1_000_000m + 2 * 0.01m;
        var completionCost = (20 * 2m + 30 * 5m + 50 * 30m) / 1_000_000m;
        Assert.Equal(50, usage["completion_tokens_details"]!["image_tokens"]!.GetValue<int>());
        Assert.Equal(promptCost, usage["cost_details"]!["upstream_inference_prompt_cost"]!.GetValue<decimal>());
        Assert.Equal(completionCost, usage["cost_details"]!["upstream_inference_completions_cost"]!.GetValue<decimal>());
        Assert.Equal(promptCost + completionCost, usage["cost"]!.GetValue<decimal>());
        await AssertChargedAsync(client, account.Id, id, promptCost + completionCost, credits: 100m);
    }

    private static (decimal Prompt, decimal Completion, decimal CacheRead) TierPrices(int tier) => tier switch
    {
        1 => (1m, 2m, 0.5m),
        2 => (2m, 4m, 1m),
        _ => (3m, 6m, 1.5m),
    };

    private static JsonObject Script(int prompt, int completion, int cached) => new()
    {
        ["tokens"] = completion,
        ["usage"] = new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["cache_read_tokens"] = cached },
    };

    /// <summary>A request pinned to one provider, its text padded with a run of letters (which any tokenizer counts by its bytes).</summary>
    private static JsonObject Pinned(string model, string provider, JsonObject script, int pad, bool stream = false)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"{new string('x', pad)} <simulator>{script.ToJsonString()}</simulator>" }),
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
        };
        if (stream)
        {
            body["stream"] = true;
        }
        return body;
    }

    /// <summary>The hold's prompt bound of a text-only body: a token per byte plus the template's.</summary>
    private static int Bound(JsonObject body) => Encoding.UTF8.GetByteCount(body.ToJsonString()) + Switchboard.Billing.PromptBound.FixedOverhead;

    /// <summary>
    /// The smallest body whose prompt bound is above 1,000 tokens and whose provider reports exactly that bound as its
    /// prompt (the most an honest provider can bill) and the whole output allowance.
    /// </summary>
    private static JsonObject AtItsBound(string provider, bool stream, int cached, int maxTokens, bool leave)
    {
        for (var pad = 0; ; pad++)
        {
            var script = Script(prompt: 1_000, maxTokens, cached);
            if (leave)
            {
                script["chunk_delay_ms"] = 30;
            }
            var body = Pinned(Tiered, provider, script, pad, stream);
            body["max_tokens"] = maxTokens;
            var bound = Bound(body); // the scripted 1000 has as many digits as the bound it is replaced with
            if (bound > 1_000)
            {
                script["usage"]!["prompt_tokens"] = bound;
                body = Pinned(Tiered, provider, script, pad, stream);
                body["max_tokens"] = maxTokens;
                return body;
            }
        }
    }

    private static async Task<(string Id, JsonNode Usage)> SendAsync(HttpClient client, JsonObject body, bool stream)
    {
        if (stream)
        {
            using var response = await client.PostStreamAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var chunks = (await SseClient.ReadAllAsync(response)).Chunks();
            return (response.Headers.GetValues("X-Generation-Id").Single(), Assert.Single(chunks, c => c["usage"] is not null)["usage"]!);
        }
        using var answer = await client.PostChatAsync(body);
        var json = await AccountClient.ReadObjectAsync(answer, HttpStatusCode.OK);
        return (answer.Headers.GetValues("X-Generation-Id").Single(), json["usage"]!);
    }

    /// <summary>The generation's record, the ledger (via /credits) and the audit all agree on <paramref name="cost"/>.</summary>
    private async Task AssertChargedAsync(HttpClient client, long accountId, string id, decimal cost, decimal credits)
    {
        Assert.Equal(cost, (await BillingTestKit.GenerationAsync(client, id))["total_cost"]!.GetValue<decimal>());
        Assert.Equal(cost, await BillingTestKit.TotalUsageAsync(client));
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var audit = await admin.AssertLedgerBalancedAsync(accountId);
        Assert.Equal(credits - cost, audit["balance"]!.GetValue<decimal>());
    }
}
