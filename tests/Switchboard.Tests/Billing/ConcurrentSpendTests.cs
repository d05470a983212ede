using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Billing;

/// <summary>
/// Reservations are atomic: with many requests in flight at once, exactly as many pass as the credit (or the
/// key's limit) covers, and the ledger ends balanced with one charge per success and none per refusal.
/// </summary>
public sealed class ConcurrentSpendTests : IAsyncLifetime
{
    private const int Requests = 200;
    private const int Affordable = 10;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync() =>
        // The upstream holds every answer for a while, so all reservations are made before any is settled.
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Timeouts:NonStreamingResponse"] = "00:01:00" });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Two_hundred_simultaneous_requests_against_credit_for_ten_let_exactly_ten_through()
    {
        var hold = BillingTestKit.Hold(Body());
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: hold * (Affordable + 0.5m));

        var outcomes = await FireAsync(client);

        await AssertExactlyAffordableSucceededAsync(client, outcomes, account.Id, "credits");
    }

    [Fact]
    public async Task Two_hundred_simultaneous_requests_against_a_key_limit_for_ten_let_exactly_ten_through()
    {
        var hold = BillingTestKit.Hold(Body());
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 1_000m, new { name = "limited", limit = hold * (Affordable + 0.5m) });

        var outcomes = await FireAsync(client);

        await AssertExactlyAffordableSucceededAsync(client, outcomes, account.Id, "key_limit");
    }

    private static JsonObject Body() => ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["latency_ms"] = 6000, ["tokens"] = 5 }, content: "Count to five.")
        .Also(b => b["max_tokens"] = 100);

    private static async Task<(HttpStatusCode Status, string GenerationId, JsonObject Body)[]> FireAsync(HttpClient client)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, Requests).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await client.PostChatAsync(Body());
            return (response.StatusCode, response.Headers.GetValues("X-Generation-Id").Single(), await response.JsonAsync());
        }).ToList();
        start.Release(Requests);
        return await Task.WhenAll(requests);
    }

    private async Task AssertExactlyAffordableSucceededAsync(
        HttpClient client, (HttpStatusCode Status, string GenerationId, JsonObject Body)[] outcomes, long accountId, string limitSource)
    {
        var succeeded = outcomes.Where(o => o.Status == HttpStatusCode.OK).ToList();
        var refused = outcomes.Where(o => o.Status == HttpStatusCode.PaymentRequired).ToList();
        Assert.Equal(Affordable, succeeded.Count);
        Assert.Equal(Requests - Affordable, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal(402, r.Body["error"]!["code"]!.GetValue<int>());
            Assert.Equal(limitSource, r.Body["error"]!["metadata"]!["limit_source"]!.GetValue<string>());
        });

        // Every success is charged exactly its usage.cost, every refusal nothing, and the ledger balances. A record
        // exists once its generation is settled, so the records are read first.
        Assert.All(succeeded, s => Assert.Equal(BillingTestKit.Cost(s.Body["usage"]!), s.Body["usage"]!["cost"]!.GetValue<decimal>()));
        foreach (var success in succeeded)
        {
            Assert.Equal(success.Body["usage"]!["cost"]!.GetValue<decimal>(), (await BillingTestKit.GenerationAsync(client, success.GenerationId))["total_cost"]!.GetValue<decimal>());
        }
        foreach (var refusal in refused)
        {
            var record = await BillingTestKit.GenerationAsync(client, refusal.GenerationId);
            Assert.Equal(0m, record["total_cost"]!.GetValue<decimal>());
            Assert.Equal(402, record["status"]!.GetValue<int>());
        }
        var charged = succeeded.Sum(s => s.Body["usage"]!["cost"]!.GetValue<decimal>());
        Assert.Equal(charged, await BillingTestKit.TotalUsageAsync(client));
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var audit = await admin.AssertLedgerBalancedAsync(accountId);
        Assert.True(audit["balance"]!.GetValue<decimal>() >= 0m);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }
}
