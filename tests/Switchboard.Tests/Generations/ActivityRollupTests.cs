using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Generations;

/// <summary>
/// The activity charts read the per-day rollup the journal keeps beside the generation records. Whatever mix of
/// requests came in (keys, models, providers, failures, streams), the figures must be exactly what summing the
/// records gives, to the last decimal place.
/// </summary>
public sealed class ActivityRollupTests : IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.StartAsync();
        _admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public Task Activity_totals_equal_the_sum_of_generation_records() => TotalsEqualRecordsAsync(_gateway, _admin);

    [Fact]
    public async Task Activity_sums_costs_exactly_however_many_small_amounts_are_added()
    {
        var (accountId, records) = await SmallAmountsSumExactlyAsync(_gateway, _admin);

        // Stored as exact decimal text, the way EF stores money in SQLite: never a double's approximation.
        using var sqlite = new SqliteConnection($"Data Source={_gateway.DatabasePath};Mode=ReadOnly;Pooling=False");
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = $"""SELECT "Cost", typeof("Cost") FROM daily_usage WHERE "AccountId" = {accountId} AND "Model" = 'test/multi' AND "ProviderName" = 'Alpha'""";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("text", reader.GetString(1));
        Assert.Equal(records.Where(r => r.Model == "test/multi" && r.ProviderName == "Alpha").Sum(r => r.Cost), decimal.Parse(reader.GetString(0), CultureInfo.InvariantCulture));
    }

    /// <summary>Requests of every kind through the gateway; then every activity figure is compared with the records' sums.</summary>
    internal static async Task TotalsEqualRecordsAsync(GatewayFactory gateway, HttpClient admin)
    {
        var account = await admin.CreateAccountAsync($"rollup-{Guid.NewGuid():n}", 10m);
        using var owner = gateway.CreateGatewayClient(account.ManagementKey);
        var first = await owner.CreateKeyAsync(new { name = "first" });
        var second = await owner.CreateKeyAsync(new { name = "second" });
        using var firstClient = gateway.CreateGatewayClient(first.Key);
        using var secondClient = gateway.CreateGatewayClient(second.Key);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add(await SendAsync(firstClient, "test/multi", "alpha", new JsonObject { ["tokens"] = 3 + i, ["reasoning"] = "a b c" }));
            statuses.Add(await SendAsync(secondClient, "test/multi", "beta", new JsonObject { ["tokens"] = 5 + i }, stream: true));
            statuses.Add(await SendAsync(i % 2 == 0 ? firstClient : secondClient, "test/other", "gamma", new JsonObject { ["tokens"] = 2 + i }, stream: i % 3 == 0));
        }
        // Failures count as requests: refused upstream (no provider served them), and broken off mid-stream.
        statuses.Add(await SendAsync(firstClient, "test/other", "beta", new JsonObject { ["status"] = 400 }));
        statuses.Add(await SendAsync(secondClient, "test/multi", "alpha", new JsonObject { ["status"] = 400 }, stream: true));
        statuses.Add(await SendAsync(secondClient, "test/multi", "gamma", new JsonObject { ["tokens"] = 9, ["error_event_after"] = 3 }, stream: true));

        // The endpoints wait for the journal, and the records are written in the same transaction as the rollup.
        var chart = await owner.GetObjectAsync("/web/activity");
        var byKey = await owner.GetObjectAsync("/web/activity?group=key");
        var byProvider = await owner.GetObjectAsync("/web/activity?group=provider");
        var alphaOnly = await owner.GetObjectAsync("/web/activity?model=test%2Fmulti&provider=Alpha");
        var secondOnly = await owner.GetObjectAsync($"/web/activity?key={second.Hash}");
        var api = (await owner.GetObjectAsync("/api/v1/activity"))["data"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var records = await RecordsAsync(gateway, account.Id);
        var secondId = await KeyIdAsync(gateway, second.Hash);

        Assert.Contains(HttpStatusCode.BadRequest, statuses);
        Assert.Equal(21, records.Count);
        Assert.Contains(records, r => r.ProviderName is null);
        Assert.Contains(records, r => r.Streamed && r.Status == 200 && r.Cost > 0m);
        AssertChart(chart, records, r => r.Model);
        AssertChart(byKey, records, r => r.ApiKeyId == secondId ? "second" : "first");
        AssertChart(byProvider, records, r => r.ProviderName ?? "(none)");
        AssertChart(alphaOnly, [.. records.Where(r => r.Model == "test/multi" && r.ProviderName == "Alpha")], r => r.Model);
        AssertChart(secondOnly, [.. records.Where(r => r.ApiKeyId == secondId)], r => r.Model);
        Assert.Equal(["test/multi", "test/other"], chart["models"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["Alpha", "Beta", "Gamma"], chart["providers"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Superset(new HashSet<string> { "first", "second" }, chart["keys"]!.AsArray().Select(k => k!["name"]!.GetValue<string>()).ToHashSet());

        var expected = records.GroupBy(r => (Day: Day(r.Day), r.Model, r.ProviderName))
            .OrderByDescending(g => g.Key.Day).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.ProviderName, StringComparer.Ordinal)
            .Select(g => new JsonObject
            {
                ["date"] = g.Key.Day,
                ["model"] = g.Key.Model,
                ["model_permaslug"] = g.Key.Model,
                // OpenRouter's SDK requires both strings: "" for a request no provider served, and for the
                // endpoint, which the rollup does not keep.
                ["provider_name"] = g.Key.ProviderName ?? "",
                ["endpoint_id"] = "",
                ["usage"] = Money.Normalize(g.Sum(r => r.Cost)),
                ["byok_usage_inference"] = Money.Normalize(g.Sum(r => r.UpstreamCost ?? 0m)),
                ["requests"] = g.Count(),
                ["prompt_tokens"] = g.Sum(r => (long)r.TokensPrompt),
                ["completion_tokens"] = g.Sum(r => (long)r.TokensCompletion),
                ["reasoning_tokens"] = g.Sum(r => (long)r.TokensReasoning),
            }.ToJsonString());
        Assert.Equal(string.Join("\n", expected), string.Join("\n", api.Select(r => r.ToJsonString())));
        Assert.Contains(api, r => r["reasoning_tokens"]!.GetValue<long>() > 0);
        await AssertRollupEqualsRecordsAsync(gateway, account.Id);
    }

    /// <summary>
    /// Amounts a double cannot hold booked through the journal, thousands at a time; returns the account and its
    /// records once activity has been checked to sum them exactly.
    /// </summary>
    internal static async Task<(long AccountId, List<GenerationRecord> Records)> SmallAmountsSumExactlyAsync(GatewayFactory gateway, HttpClient admin)
    {
        var account = await admin.CreateAccountAsync($"exact-{Guid.NewGuid():n}", 10m);
        using var owner = gateway.CreateGatewayClient(account.ManagementKey);
        var key = await owner.CreateKeyAsync(new { name = "exact" });
        var keyId = await KeyIdAsync(gateway, key.Hash);
        decimal[] costs = [0.000001234m, 0.1m, 0.2m, 1.000000000000000001m];
        decimal?[] upstream = [null, 0.3m, 0.000000001m];
        var day = DateOnly.FromDateTime(DateTime.UtcNow);
        var writer = gateway.Services.GetRequiredService<JournalWriter>();

        // Three full journal batches whose 2000 records share four rows of the rollup, as under load.
        var records = new List<GenerationRecord>();
        for (var batch = 0; batch < 3; batch++)
        {
            var entries = new List<JournalEntry>();
            for (var i = 0; i < 2000; i++)
            {
                var record = Record(account.Id, keyId, day, i % 2 == 0 ? "test/multi" : "test/other", i % 4 < 2 ? "Alpha" : null,
                    costs[i % costs.Length], upstream[i % upstream.Length], tokens: i % 7);
                records.Add(record);
                entries.Add(new GenerationEntry(record, Settlement: null, Content: null, Unmark: false));
            }
            await writer.WriteAsync(new JournalBatch(entries));
        }

        var api = (await owner.GetObjectAsync("/api/v1/activity"))["data"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var chart = await owner.GetObjectAsync("/web/activity");

        var total = records.Sum(r => r.Cost);
        Assert.Equal(1950.001851000000001500m, total);
        Assert.Equal(total, chart["totals"]!["spend"]!.GetValue<decimal>());
        Assert.Equal(total, api.Sum(r => r["usage"]!.GetValue<decimal>()));
        Assert.Equal(records.Sum(r => r.UpstreamCost ?? 0m), api.Sum(r => r["byok_usage_inference"]!.GetValue<decimal>()));
        Assert.Equal(4, api.Count);
        await AssertRollupEqualsRecordsAsync(gateway, account.Id);
        return (account.Id, records);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string model, string provider, JsonObject script, bool stream = false)
    {
        var body = ChatRequests.Body(model, script, stream);
        body["provider"] = new JsonObject { ["only"] = new JsonArray(provider) };
        using var response = await client.PostChatAsync(body);
        await response.Content.ReadAsStringAsync(); // a stream is recorded once it has ended
        return response.StatusCode;
    }

    /// <summary>
    /// A chart's totals and every series' values per day equal the records' sums, the records split into series by
    /// <paramref name="series"/>.
    /// </summary>
    private static void AssertChart(JsonObject chart, List<GenerationRecord> records, Func<GenerationRecord, string> series)
    {
        var days = chart["days"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Equal(records.Sum(r => r.Cost), chart["totals"]!["spend"]!.GetValue<decimal>());
        Assert.Equal(records.Sum(r => (long)r.TokensPrompt + r.TokensCompletion), chart["totals"]!["tokens"]!.GetValue<long>());
        Assert.Equal(records.Count, chart["totals"]!["requests"]!.GetValue<long>());
        var expected = records.GroupBy(series).ToDictionary(g => g.Key, g => days.Select(d =>
        {
            var onDay = g.Where(r => Day(r.Day) == d).ToList();
            return (Spend: onDay.Sum(r => r.Cost), Tokens: onDay.Sum(r => (long)r.TokensPrompt + r.TokensCompletion), Requests: (long)onDay.Count);
        }).ToList());
        var actual = chart["series"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => days.Select((_, i) =>
            (Spend: s!["spend"]![i]!.GetValue<decimal>(), Tokens: s["tokens"]![i]!.GetValue<long>(), Requests: s["requests"]![i]!.GetValue<long>())).ToList());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, e => Assert.Equal(e.Value, actual[e.Key]));
    }

    /// <summary>
    /// The rollup's rows of the account are exactly the records summed per day, key, model and provider, once the
    /// compactor has folded in what the journal left pending (and nothing of the account is left pending).
    /// </summary>
    private static async Task AssertRollupEqualsRecordsAsync(GatewayFactory gateway, long accountId)
    {
        var records = await RecordsAsync(gateway, accountId);
        await gateway.Services.GetRequiredService<DailyUsageCompactor>().CompactAsync();
        await using var db = gateway.Services.GetRequiredService<SwitchboardStore>().Read();
        var rollup = await db.DailyUsage.Where(u => u.AccountId == accountId).ToListAsync();
        Assert.Equal(Describe(Expected(records)), Describe(rollup));
        Assert.False(await db.PendingDailyUsage.AnyAsync(p => p.AccountId == accountId));
    }

    /// <summary>What the rollup should hold for <paramref name="records"/>, summed the way the activity queries once summed them.</summary>
    internal static List<DailyUsage> Expected(IEnumerable<GenerationRecord> records) =>
    [
        .. records.GroupBy(r => (r.AccountId, r.Day, r.ApiKeyId, r.Model, Provider: r.ProviderName ?? "")).Select(g => new DailyUsage
        {
            AccountId = g.Key.AccountId,
            Day = g.Key.Day,
            ApiKeyId = g.Key.ApiKeyId,
            Model = g.Key.Model,
            ProviderName = g.Key.Provider,
            Requests = g.Count(),
            PromptTokens = g.Sum(r => (long)r.TokensPrompt),
            CompletionTokens = g.Sum(r => (long)r.TokensCompletion),
            ReasoningTokens = g.Sum(r => (long)r.TokensReasoning),
            Cost = g.Sum(r => r.Cost),
            UpstreamCost = g.Sum(r => r.UpstreamCost ?? 0m),
        }),
    ];

    /// <summary>Rows as sorted text, money normalized, so a failed comparison shows which row differs and how.</summary>
    internal static List<string> Describe(IEnumerable<DailyUsage> rows) =>
    [
        .. rows.Select(u => string.Join("|", u.AccountId, Day(u.Day), u.ApiKeyId, u.Model, u.ProviderName, u.Requests, u.PromptTokens,
                u.CompletionTokens, u.ReasoningTokens, Money.Normalize(u.Cost).ToString(CultureInfo.InvariantCulture),
                Money.Normalize(u.UpstreamCost).ToString(CultureInfo.InvariantCulture)))
            .Order(StringComparer.Ordinal),
    ];

    internal static GenerationRecord Record(long accountId, long keyId, DateOnly day, string model, string? provider, decimal cost, decimal? upstream, int tokens) => new()
    {
        Id = $"gen-{Guid.NewGuid():n}",
        AccountId = accountId,
        ApiKeyId = keyId,
        CreatedAt = day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc),
        Day = day,
        RequestedModel = model,
        Model = model,
        ProviderName = provider,
        ProviderSlug = provider?.ToLowerInvariant(),
        Attempts = "[]",
        Status = provider is null ? 502 : 200,
        TokensPrompt = tokens,
        TokensCompletion = 2 * tokens,
        TokensReasoning = tokens / 2,
        Cost = cost,
        UpstreamCost = upstream,
        IsByok = upstream is not null,
    };

    private static async Task<List<GenerationRecord>> RecordsAsync(GatewayFactory gateway, long accountId)
    {
        await using var db = gateway.Services.GetRequiredService<SwitchboardStore>().Read();
        return await db.Generations.Where(g => g.AccountId == accountId).ToListAsync();
    }

    private static async Task<long> KeyIdAsync(GatewayFactory gateway, string hash)
    {
        await using var db = gateway.Services.GetRequiredService<SwitchboardStore>().Read();
        return await db.ApiKeys.Where(k => k.Hash == hash).Select(k => k.Id).SingleAsync();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
