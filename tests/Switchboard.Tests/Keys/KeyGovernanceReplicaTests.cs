using System.Net;
using System.Net.Http.Json;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Keys;

/// <summary>
/// Two gateways on one store: a key's rules changed through one reach the other through the key change watcher,
/// as a disabled key or a new limit does, within a few of its polls. On a shared SQLite file and on PostgreSQL.
/// </summary>
public sealed class KeyGovernanceReplicaTests
{
    [Fact]
    public async Task A_rule_changed_on_one_replica_holds_on_the_other_within_seconds()
    {
        var sharedData = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));
        try
        {
            await using var first = await GatewayFactory.StartAsync(Replica("first", ("Switchboard:Database:DataDirectory", sharedData)));
            await using var second = await GatewayFactory.StartAsync(Replica("second", ("Switchboard:Database:DataDirectory", sharedData)));
            await AssertRuleReachesTheOtherReplicaAsync(first, second);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(sharedData, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }

    [PostgresFact]
    public async Task On_PostgreSQL_a_rule_changed_on_one_replica_holds_on_the_other_within_seconds()
    {
        await using var database = await TestPostgres.CreateAsync();
        var postgres = new[] { ("Switchboard:Database:Provider", "Postgres"), ("Switchboard:Database:ConnectionString", database.ConnectionString) };
        await using var first = await GatewayFactory.StartAsync(Replica("first", postgres));
        await using var second = await GatewayFactory.StartAsync(Replica("second", postgres));

        await AssertRuleReachesTheOtherReplicaAsync(first, second);
    }

    private static Dictionary<string, string?> Replica(string name, params (string Key, string Value)[] settings)
    {
        var replica = new Dictionary<string, string?> { ["Switchboard:Billing:InstanceName"] = name };
        foreach (var (key, value) in settings)
        {
            replica[key] = value;
        }
        return replica;
    }

    private static async Task AssertRuleReachesTheOtherReplicaAsync(GatewayFactory first, GatewayFactory second)
    {
        using var management = first.CreateGatewayClient(GatewayFactory.ManagementKey);
        var key = await management.CreateKeyAsync(new { name = "replicated", allowed_models = new[] { "test/other" } });
        using var elsewhere = second.CreateGatewayClient(key.Key);
        using (var refused = await elsewhere.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode); // the second replica has the key cached now
        }

        using (var lifted = await management.PatchAsJsonAsync($"/api/v1/keys/{key.Hash}", new { allowed_models = new[] { "test/*" }, allowed_providers = new[] { "gamma" } }))
        {
            Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await elsewhere.PostChatAsync(ChatRequests.Body("test/multi"));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("Gamma", (await response.JsonAsync())["provider"]!.GetValue<string>());
                break;
            }
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "the other replica still refuses 5 s after the change");
            await Task.Delay(100);
        }
    }
}
