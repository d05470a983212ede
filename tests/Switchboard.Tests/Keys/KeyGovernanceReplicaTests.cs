using System.Net;
using System.Net.Http.Json;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Keys;

/// <summary>
/// Two gateways on one store: a key's rules changed through one reach the other through the key change watcher,
/// as a disabled key or a new limit does, within a few of its polls.
/// </summary>
public sealed class KeyGovernanceReplicaTests : IAsyncLifetime
{
    private readonly string _sharedData = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));
    private GatewayFactory _first = null!;
    private GatewayFactory _second = null!;

    public async Task InitializeAsync()
    {
        _first = await GatewayFactory.StartAsync(Replica("first"));
        _second = await GatewayFactory.StartAsync(Replica("second"));
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        try
        {
            Directory.Delete(_sharedData, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private Dictionary<string, string?> Replica(string name) => new()
    {
        ["Switchboard:Database:DataDirectory"] = _sharedData,
        ["Switchboard:Billing:InstanceName"] = name,
    };

    [Fact]
    public async Task A_rule_changed_on_one_replica_holds_on_the_other_within_seconds()
    {
        using var management = _first.CreateGatewayClient(GatewayFactory.ManagementKey);
        var key = await management.CreateKeyAsync(new { name = "replicated", allowed_models = new[] { "test/other" } });
        using var elsewhere = _second.CreateGatewayClient(key.Key);
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
