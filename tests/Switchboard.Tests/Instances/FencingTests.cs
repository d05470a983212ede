using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Instances;
using Switchboard.Tests.Billing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Instances;

/// <summary>
/// The worst case of instance liveness: a replica takes a live instance for dead (its heartbeat stalled past the
/// owner timeout, say a frozen VM) and reclaims its leases while a generation it holds credit for is still running,
/// and another replica spends that credit. The instance learns it was fenced at its next write: the generation is
/// charged only what the account still has free, never taking the balance below zero, the rest is booked
/// uncollected for the operator, and the instance carries on under a fresh identity.
/// </summary>
public sealed class FencingTests : IDisposable
{
    private readonly string _sharedData = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task A_live_instance_taken_for_dead_never_charges_past_the_balance_and_carries_on_under_a_new_identity()
    {
        await using var fenced = await StartAsync();
        await using var other = await StartAsync();
        fenced.ExpectsUncollected = other.ExpectsUncollected = true;
        var (account, onFenced, management) = await BillingTestKit.NewAccountAsync(fenced, credits: 5m);
        var key = (await management.GetObjectAsync("/api/v1/keys"))["data"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "inference")!;
        using var onOther = other.CreateGatewayClient((await management.CreateKeyAsync(new { name = "other" })).Key);

        // A stream on the first instance leases the whole balance.
        var stream = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 400, ["chunk_delay_ms"] = 20 }, stream: true);
        stream["max_tokens"] = 1_000;
        using var streaming = await onFenced.PostStreamAsync(stream);
        Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);
        var read = SseClient.ReadAllAsync(streaming);
        var identity = fenced.Services.GetRequiredService<InstanceIdentity>().Current;

        // The other instance takes it for dead: the conditional reclaim a stalled heartbeat would lead to.
        var store = other.Services.GetRequiredService<SwitchboardStore>();
        var reclaims = other.Services.GetRequiredService<InstanceStore>();
        EndedInstance? ended = null;
        while (ended is null)
        {
            await using var db = store.Read();
            var beat = await db.Instances.Where(i => i.Id == identity).Select(i => i.Beat).SingleAsync();
            ended = await reclaims.ReclaimAsync(identity, beat);
        }
        Assert.Equal(5m, ended.Amount);

        // ... and spends the credit it freed: four answers of 1.1 USD leave 0.6 USD, less than the stream costs.
        var spent = 0m;
        for (var i = 0; i < 4; i++)
        {
            using var response = await onOther.PostChatAsync(ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 500 } }, content: new string('x', 200)).Also(b => b["max_tokens"] = 500));
            var answer = await response.JsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"spend {i}: {answer.ToJsonString()}");
            spent += answer["usage"]!["cost"]!.GetValue<decimal>();
        }

        // The fenced instance's stream completes; its charge finds the account with less than it costs.
        var messages = await read;
        Assert.True(messages[^1].IsDone);
        var cost = messages.Chunks()[^1]["usage"]!["cost"]!.GetValue<decimal>();
        Assert.True(cost > 5m - spent, "the test must leave the stream more to charge than the account has left");

        using var admin = other.CreateGatewayClient(GatewayFactory.ManagementKey);
        var audit = (await admin.GetObjectAsync("/api/v1/admin/ledger/audit"))["data"]!.AsArray().Single(a => a!["account_id"]!.GetValue<long>() == account.Id)!;
        Assert.Equal(0m, audit["balance"]!.GetValue<decimal>()); // everything free was charged, and no more
        Assert.Equal(0m, audit["lowest_balance"]!.GetValue<decimal>());
        Assert.Equal(cost - (5m - spent), audit["uncollected"]!.GetValue<decimal>());
        Assert.Equal(audit["balance"]!.GetValue<decimal>(), audit["ledger_sum"]!.GetValue<decimal>());
        Assert.Equal(audit["leased"]!.GetValue<decimal>(), audit["reserved"]!.GetValue<decimal>());

        // It carries on: a new identity, registered, and serving.
        var renewed = fenced.Services.GetRequiredService<InstanceIdentity>().Current;
        Assert.NotEqual(identity, renewed);
        await using (var db = store.Read())
        {
            Assert.True(await db.Instances.AnyAsync(i => i.Id == renewed) || await WaitRegisteredAsync(store, renewed));
        }
        await admin.AddCreditsAsync(account.Id, 1m);
        using var again = await onFenced.PostChatAsync(ChatRequests.Body(BillingTestKit.Model).Also(b => b["max_tokens"] = 5));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotNull(key);
    }

    private static async Task<bool> WaitRegisteredAsync(SwitchboardStore store, string identity)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var db = store.Read();
            if (await db.Instances.AnyAsync(i => i.Id == identity))
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    private Task<GatewayFactory> StartAsync() => GatewayFactory.StartAsync(new Dictionary<string, string?>
    {
        ["Switchboard:Database:DataDirectory"] = _sharedData,
        ["Switchboard:Billing:HeartbeatInterval"] = "00:00:00.200",
        ["Switchboard:Billing:OwnerTimeout"] = "00:01:00", // nobody is found dead by the clock here: the test reclaims by hand
    });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_sharedData))
        {
            Directory.Delete(_sharedData, recursive: true);
        }
    }
}
