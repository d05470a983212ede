using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchboard.Tests.Billing;

/// <summary>
/// A client trying to spend more than it has. The invariant under attack: no request is charged more than was held
/// for it, and the hold is an honest worst case, so no account goes below zero and no key past its limit. Each trick
/// that once overspent is replayed; then seeded bodies around every field that feeds the hold are sent one at a time
/// and 200 at once, against a small balance and against a small key limit. The gateway's audit when it is disposed
/// adds that nothing went uncollected: honest traffic never reaches the cap.
/// </summary>
public sealed class HostileClientMoneyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Timeouts:NonStreamingResponse"] = "00:00:30" });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_plain_string_that_looks_like_a_data_url_is_held_as_the_text_it_is()
    {
        // Held as text, the prompt fills alpha's 32,768-token context: 0.033 USD at 1 USD a million, above the limit.
        // Held as one inline image (1,600 tokens) it would fit, and the provider would bill 500,000 prompt tokens.
        var (account, client, management) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m, new { name = "limited", limit = 0.01m });
        var body = Pinned("alpha", new JsonObject { ["tokens"] = 1 }, content: "data:" + new string('a', 2_000_000));
        body["max_tokens"] = 1;

        using var response = await client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("key_limit", (await response.JsonAsync())["error"]!["metadata"]!["limit_source"]!.GetValue<string>());
        await AssertNothingSpentAsync(client, management, account.Id);
    }

    [Theory]
    [InlineData("a a a a a a a a ")]
    [InlineData("ᚠᛇᚻ ᛒᛦᚦ ")]
    [InlineData("🙂👍🏽")]
    [InlineData("0123456789")]
    public async Task Text_a_real_tokenizer_counts_densely_is_held_at_no_less_than_its_real_count(string unit)
    {
        // The provider bills what its tokenizer counts: o200k counts these at one token per two or three bytes,
        // far above the four bytes a token of English prose. The hold must cover that honest count.
        var text = string.Concat(Enumerable.Repeat(unit, 4_000 / unit.Length));
        var counted = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base").CountTokens(text);
        var (_, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m);
        var body = Pinned("alpha", new JsonObject { ["tokens"] = 1, ["usage"] = new JsonObject { ["prompt_tokens"] = counted, ["completion_tokens"] = 1 } }, content: text);
        body["max_tokens"] = 1;

        using var response = await client.PostChatAsync(body);
        var usage = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!;

        Assert.True(counted > Encoding.UTF8.GetByteCount(text) / 4, $"{counted} tokens");
        Assert.Equal((counted + 1) * 0.000001m, usage["cost"]!.GetValue<decimal>()); // charged in full: nothing uncollected
    }

    [Theory]
    [InlineData("max_tokens", "max_completion_tokens", "max_tokens")]
    [InlineData("max_tokens", "max_completion_tokens", "max_completion_tokens")]
    [InlineData("max_completion_tokens", "max_tokens", "max_tokens")]
    [InlineData("max_completion_tokens", "max_tokens", "max_completion_tokens")]
    public async Task Two_output_limits_are_held_at_the_larger_whichever_comes_last(string first, string last, string larger)
    {
        // 16,000 tokens at alpha's 1 USD a million is 0.016 USD: above the limit. One token would fit, and an upstream
        // that gets the body verbatim may obey either field.
        var (account, client, management) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m, new { name = "limited", limit = 0.01m });
        var body = Pinned("alpha", new JsonObject { ["tokens"] = 16_000 });
        body[first] = first == larger ? 16_000 : 1;
        body[last] = last == larger ? 16_000 : 1;

        using var response = await client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        await AssertNothingSpentAsync(client, management, account.Id);
    }

    [Fact]
    public async Task Gemini_choices_are_each_held_at_the_full_output_limit()
    {
        // Eight candidates of 1,600 tokens at 1 USD a million: 0.0128 USD, more than the account has.
        var (account, poor, management) = await BillingTestKit.NewAccountAsync(_gateway, credits: 0.01m);
        var body = Pinned("gem", new JsonObject { ["tokens"] = 1_600 });
        body["n"] = 8;
        body["max_tokens"] = 1_600;
        using (var refused = await poor.PostChatAsync(body))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        }
        await AssertNothingSpentAsync(poor, management, account.Id);

        // With enough credit the eight candidates are served and charged for all of them, within the hold.
        var (_, richer, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 0.02m);
        using var served = await richer.PostChatAsync(body);
        var usage = (await AccountClient.ReadObjectAsync(served, HttpStatusCode.OK))["usage"]!;
        Assert.Equal(8 * 1_600, usage["completion_tokens"]!.GetValue<int>());
        Assert.True(usage["cost"]!.GetValue<decimal>() <= 0.02m);
    }

    [Fact]
    public async Task A_stream_cut_mid_way_is_never_charged_more_output_than_its_limit()
    {
        var (_, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m);
        // Eight events of 400-character words: their text alone would be estimated at 800 tokens.
        var words = string.Join(' ', Enumerable.Range(0, 12).Select(i => new string((char)('a' + i), 400)));
        var body = Pinned("alpha", new JsonObject { ["content"] = words, ["reset_after_events"] = 8 });
        body["max_tokens"] = 10;
        body["stream"] = true;

        using var response = await client.PostStreamAsync(body);
        var chunks = (await SseClient.ReadAllAsync(response)).Chunks();

        Assert.Equal("error", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var record = await BillingTestKit.GenerationAsync(client, response.Headers.GetValues("X-Generation-Id").Single());
        Assert.Equal(10, record["tokens_completion"]!.GetValue<int>());
        Assert.Equal(chunks[^1]["usage"]!["cost"]!.GetValue<decimal>(), record["total_cost"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("credits")]
    [InlineData("key_limit")]
    public async Task Two_hundred_tricks_at_once_never_overspend(string budget)
    {
        var (account, client, management) = budget == "credits"
            ? await BillingTestKit.NewAccountAsync(_gateway, credits: 0.01m)
            : await BillingTestKit.NewAccountAsync(_gateway, credits: 100m, new { name = "limited", limit = 0.01m });
        var tricks = new Func<JsonObject>[]
        {
            () => Pinned("alpha", new JsonObject { ["tokens"] = 2_000 }, content: "data:" + new string('a', 20_000)).Also(b => b["max_tokens"] = 1),
            () => Pinned("alpha", new JsonObject { ["tokens"] = 8_000 }).Also(b => { b["max_completion_tokens"] = 8_000; b["max_tokens"] = 1; }),
            () => Pinned("gem", new JsonObject { ["tokens"] = 800 }).Also(b => { b["n"] = 8; b["max_tokens"] = 800; }),
            () => Pinned("claude", new JsonObject { ["tokens"] = 2_000 }).Also(b => b["reasoning"] = new JsonObject { ["max_tokens"] = 4_000 }),
            () => Pinned("alpha", new JsonObject { ["tokens"] = 500 }).Also(b => { b["max_tokens"] = 500; b["stream"] = true; }),
        };

        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 200).Select(async i =>
        {
            await start.WaitAsync();
            using var response = await client.PostChatAsync(tricks[i % tricks.Length]());
            await response.Content.ReadAsStringAsync();
            return response.StatusCode;
        }).ToList();
        start.Release(requests.Count);
        var statuses = await Task.WhenAll(requests);

        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.PaymentRequired }));
        Assert.Contains(HttpStatusCode.OK, statuses);
        await AssertWithinBudgetAsync(client, management, account.Id, budget == "credits" ? 0.01m : null, budget == "key_limit" ? 0.01m : null);
    }

    [Fact]
    public async Task A_provider_reporting_more_than_was_held_is_charged_the_hold_and_the_rest_is_booked_uncollected()
    {
        await using var gateway = await GatewayFactory.StartAsync();
        gateway.ExpectsUncollected = true;
        var (account, client, _) = await BillingTestKit.NewAccountAsync(gateway, credits: 100m);
        // A lying provider: one token allowed, and usage reported as if the context had been filled.
        var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["usage"] = new JsonObject { ["prompt_tokens"] = 30_000, ["completion_tokens"] = 30_000 } });
        body["max_tokens"] = 1;
        var hold = BillingTestKit.Hold(body);

        using var response = await client.PostChatAsync(body);
        var usage = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!;

        Assert.Equal(hold, usage["cost"]!.GetValue<decimal>());
        var record = await BillingTestKit.GenerationAsync(client, response.Headers.GetValues("X-Generation-Id").Single());
        Assert.Equal(hold, record["total_cost"]!.GetValue<decimal>());
        using var admin = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var audit = await admin.GetObjectAsync("/api/v1/admin/ledger/audit");
        Assert.False(audit["balanced"]!.GetValue<bool>());
        var cost = 30_000 * BillingTestKit.PromptPrice + 30_000 * BillingTestKit.CompletionPrice;
        Assert.Equal(cost - hold, audit["uncollected"]!.GetValue<decimal>());
        var line = audit["recent_uncollected"]!.AsArray().Single()!;
        Assert.Equal(response.Headers.GetValues("X-Generation-Id").Single(), line["generation_id"]!.GetValue<string>());
        var entry = audit["data"]!.AsArray().Single(a => a!["account_id"]!.GetValue<long>() == account.Id)!;
        Assert.Equal(100m - hold, entry["balance"]!.GetValue<decimal>());
        Assert.Equal(entry["balance"]!.GetValue<decimal>(), entry["ledger_sum"]!.GetValue<decimal>());
        Assert.Contains(entry["problems"]!.AsArray(), p => p!.GetValue<string>().Contains("uncollected", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, "credits")]
    [InlineData(2, "key_limit")]
    public async Task Seeded_bodies_one_at_a_time_stay_within_budget(int seed, string budget) =>
        await FuzzAsync(seed, budget, concurrent: false, count: 150);

    [Theory]
    [InlineData(3, "credits")]
    [InlineData(4, "key_limit")]
    public async Task Seeded_bodies_two_hundred_at_once_stay_within_budget(int seed, string budget) =>
        await FuzzAsync(seed, budget, concurrent: true, count: 200);

    private async Task FuzzAsync(int seed, string budget, bool concurrent, int count)
    {
        const decimal Budget = 0.05m;
        var (account, client, management) = budget == "credits"
            ? await BillingTestKit.NewAccountAsync(_gateway, credits: Budget)
            : await BillingTestKit.NewAccountAsync(_gateway, credits: 100m, new { name = "limited", limit = Budget });
        var random = new Random(seed);
        var bodies = Enumerable.Range(0, count).Select(_ => HoldFuzzBodies.Body(random)).ToList();

        using var start = new SemaphoreSlim(concurrent ? 0 : 1);
        var sends = bodies.Select(async body =>
        {
            await start.WaitAsync();
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync("/api/v1/chat/completions", content);
                var text = await response.Content.ReadAsStringAsync();
                return (response.StatusCode, Body: body, Answer: text);
            }
            finally
            {
                if (!concurrent)
                {
                    start.Release();
                }
            }
        }).ToList();
        if (concurrent)
        {
            start.Release(count);
        }
        var outcomes = new List<(HttpStatusCode Status, string Body, string Answer)>();
        foreach (var send in sends)
        {
            outcomes.Add(await send);
        }

        foreach (var group in outcomes.GroupBy(o => o.Status))
        {
            output.WriteLine($"seed {seed}, {budget}: {group.Count()} × {(int)group.Key}");
        }
        // 404: a limit above the pinned endpoint's maximum output leaves no endpoint to route to. 502: the script cut
        // the stream before any content, and there was no other endpoint to fall back to.
        var unexpected = outcomes.FirstOrDefault(o => o.Status is not (HttpStatusCode.OK or HttpStatusCode.PaymentRequired or HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
            && !(o.Status == HttpStatusCode.BadGateway && o.Body.Contains("reset_after_events", StringComparison.Ordinal)));
        Assert.True(unexpected.Body is null, $"{(int)unexpected.Status} for {Shorten(unexpected.Body)}: {Shorten(unexpected.Answer)}");
        Assert.Contains(outcomes, o => o.Status == HttpStatusCode.OK);
        Assert.Contains(outcomes, o => o.Status == HttpStatusCode.PaymentRequired);
        Assert.True(outcomes.Count(o => o.Status == HttpStatusCode.BadRequest) <= count / 20, "more than 5 % of valid bodies refused as invalid");
        await AssertWithinBudgetAsync(client, management, account.Id, budget == "credits" ? Budget : null, budget == "key_limit" ? Budget : null);
    }

    /// <summary>A test/tri request pinned to one provider, its script in the prompt so it survives translation.</summary>
    private static JsonObject Pinned(string provider, JsonObject script, string content = "Hello") => new()
    {
        ["model"] = "test/tri",
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"{content} <simulator>{script.ToJsonString()}</simulator>" }),
        ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
    };

    private async Task AssertNothingSpentAsync(HttpClient client, HttpClient management, long accountId)
    {
        Assert.Equal(0m, await BillingTestKit.TotalUsageAsync(management));
        Assert.Equal(0m, (await client.GetObjectAsync("/api/v1/key"))["data"]!["usage"]!.GetValue<decimal>());
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        await admin.AssertLedgerBalancedAsync(accountId);
    }

    /// <summary>Overspend is zero: the balance never below zero, the key's usage never above its limit, and the audit clean.</summary>
    private async Task AssertWithinBudgetAsync(HttpClient client, HttpClient management, long accountId, decimal? credits, decimal? limit)
    {
        var spent = await BillingTestKit.TotalUsageAsync(management);
        output.WriteLine($"spent {spent} USD");
        Assert.True(spent > 0m);
        if (credits is { } balance)
        {
            Assert.True(spent <= balance, $"spent {spent} of {balance}");
        }
        if (limit is { } max)
        {
            var key = (await client.GetObjectAsync("/api/v1/key"))["data"]!;
            Assert.True(key["usage"]!.GetValue<decimal>() <= max, key.ToJsonString());
            Assert.True(key["limit_remaining"]!.GetValue<decimal>() >= 0m, key.ToJsonString());
        }
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var audit = await admin.AssertLedgerBalancedAsync(accountId);
        Assert.Equal(0m, audit["uncollected"]!.GetValue<decimal>());
        Assert.Equal(0m, audit["lowest_balance"]!.GetValue<decimal>());
        Assert.True(audit["balance"]!.GetValue<decimal>() >= 0m);
    }

    private static string Shorten(string? text) => text is { Length: > 600 } ? text[..600] + "…" : text ?? "";
}
