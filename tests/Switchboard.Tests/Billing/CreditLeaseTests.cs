using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Billing;

/// <summary>
/// Credit is held in memory against leases the store records per gateway instance. These pin down what makes that
/// safe: replicas sharing a database never lease more than the balance between them, an idle lease goes back, and a
/// graceful stop writes every settlement and returns every lease.
/// </summary>
public sealed class CreditLeaseTests : IDisposable
{
    private readonly string _sharedData = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_sharedData))
        {
            Directory.Delete(_sharedData, recursive: true);
        }
    }

    [Fact]
    public async Task Two_replicas_on_one_database_let_exactly_the_affordable_requests_through_between_them()
    {
        // Exact-size leases, so every hold is a grant in the store and the replicas compete for each one.
        await using var first = await StartReplicaAsync("replica-a", ("Switchboard:Billing:LeaseSize", "0"), ("Switchboard:Billing:LeaseHolds", "1"));
        await using var second = await StartReplicaAsync("replica-b", ("Switchboard:Billing:LeaseSize", "0"), ("Switchboard:Billing:LeaseHolds", "1"));
        var body = Body(latencyMs: 2000);
        var (account, _, management) = await BillingTestKit.NewAccountAsync(first, credits: BillingTestKit.Hold(body) * 10.5m);
        var key = await management.CreateKeyAsync(new { name = "both replicas" });
        using var onFirst = first.CreateGatewayClient(key.Key);
        using var onSecond = second.CreateGatewayClient(key.Key);

        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 60).Select(async i =>
        {
            await start.WaitAsync();
            using var response = await (i % 2 == 0 ? onFirst : onSecond).PostChatAsync(Body(latencyMs: 2000));
            return (response.StatusCode, Body: await response.JsonAsync());
        }).ToList();
        start.Release(requests.Count);
        var outcomes = await Task.WhenAll(requests);

        Assert.Equal(10, outcomes.Count(o => o.StatusCode == HttpStatusCode.OK));
        Assert.Equal(50, outcomes.Count(o => o.StatusCode == HttpStatusCode.PaymentRequired));
        var charged = outcomes.Where(o => o.StatusCode == HttpStatusCode.OK).Sum(o => o.Body["usage"]!["cost"]!.GetValue<decimal>());
        using var admin = first.CreateGatewayClient(GatewayFactory.ManagementKey);
        using var secondAdmin = second.CreateGatewayClient(GatewayFactory.ManagementKey);
        await secondAdmin.GetObjectAsync("/api/v1/admin/ledger/audit"); // waits for the second replica's journal
        var audit = await admin.AssertLedgerBalancedAsync(account.Id);
        Assert.Equal(BillingTestKit.Hold(body) * 10.5m - charged, audit["balance"]!.GetValue<decimal>());
        Assert.True(audit["balance"]!.GetValue<decimal>() >= 0m);
    }

    [Fact]
    public async Task An_idle_lease_goes_back_to_the_account()
    {
        await using var gateway = await StartReplicaAsync("idle", ("Switchboard:Billing:IdleLeaseReturn", "00:00:00.200"));
        var (account, client, _) = await BillingTestKit.NewAccountAsync(gateway, credits: 100m);
        using var admin = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);

        using var response = await client.PostChatAsync(Body(latencyMs: 0));
        var cost = (await response.JsonAsync())["usage"]!["cost"]!.GetValue<decimal>();
        var leased = await admin.AssertLedgerBalancedAsync(account.Id);
        Assert.True(leased["reserved"]!.GetValue<decimal>() > 0m, leased.ToJsonString());

        var returned = await PollAsync(() => admin.AssertLedgerBalancedAsync(account.Id), a => a["reserved"]!.GetValue<decimal>() == 0m);
        Assert.Equal(0m, returned["leased"]!.GetValue<decimal>());
        Assert.Equal(100m - cost, returned["balance"]!.GetValue<decimal>());

        // The next request leases afresh.
        using var again = await client.PostChatAsync(Body(latencyMs: 0));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_graceful_stop_writes_every_settlement_and_returns_every_lease()
    {
        AccountClient.CreatedAccount account;
        (string Id, decimal Cost)[] outcomes;
        await using (var gateway = await StartReplicaAsync("graceful"))
        {
            (account, var client, _) = await BillingTestKit.NewAccountAsync(gateway, credits: 100m);
            outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            {
                using var response = await client.PostChatAsync(Body(latencyMs: 0));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (Id: response.Headers.GetValues("X-Generation-Id").Single(), Cost: (await response.JsonAsync())["usage"]!["cost"]!.GetValue<decimal>());
            }));
        } // stopped at once: settlements may still be queued in the journal

        await using var restarted = await StartReplicaAsync("graceful");
        using var admin = restarted.CreateGatewayClient(GatewayFactory.ManagementKey);
        var audit = await admin.AssertLedgerBalancedAsync(account.Id);
        Assert.Equal(0m, audit["reserved"]!.GetValue<decimal>());
        Assert.Equal(100m - outcomes.Sum(o => o.Cost), audit["balance"]!.GetValue<decimal>());
        using var owner = restarted.CreateGatewayClient(account.ManagementKey);
        foreach (var (id, cost) in outcomes)
        {
            var record = (await owner.GetObjectAsync($"/api/v1/generation?id={id}"))["data"]!;
            Assert.Equal(cost, record["total_cost"]!.GetValue<decimal>());
        }
    }

    private Task<GatewayFactory> StartReplicaAsync(string instance, params (string Key, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Switchboard:Database:DataDirectory"] = _sharedData,
            ["Switchboard:Billing:InstanceName"] = instance,
            ["Switchboard:Timeouts:NonStreamingResponse"] = "00:00:30",
        };
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }
        return GatewayFactory.StartAsync(overrides);
    }

    private static JsonObject Body(int latencyMs) =>
        ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["latency_ms"] = latencyMs, ["tokens"] = 5 }, content: "Count to five.")
            .Also(b => b["max_tokens"] = 100);

    private static async Task<JsonObject> PollAsync(Func<Task<JsonObject>> read, Func<JsonObject, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            await Task.Delay(50, timeout.Token);
        }
    }
}
