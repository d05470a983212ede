using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

/// <summary>
/// Two gateways on one PostgreSQL database, as replicas behind a load balancer: an outage one of them sees is routed
/// around by the other within seconds, and a successful probe on one ends the pause on the other. Each gateway has its
/// own health in memory; what they share goes through the store's <c>endpoint_health</c> table.
/// </summary>
public sealed class SharedHealthTests
{
    private const int FailureThreshold = 3;
    private static readonly TimeSpan ShareInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongCoolDown = TimeSpan.FromMinutes(5);

    /// <summary>Two exchange intervals plus slack for a busy machine: "within seconds".</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [PostgresFact]
    public async Task An_endpoint_one_replica_paused_is_routed_around_by_the_other_within_seconds()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var first = await StartAsync(database, LongCoolDown);
        await using var second = await StartAsync(database, LongCoolDown);
        var (onFirst, onSecond) = await KeyOnBothAsync(first, second);

        await PauseAlphaAsync(onFirst);
        Assert.Equal(-2, await EndpointStatusAsync(first, "Alpha"));

        var took = await WaitForStatusAsync(second, "Alpha", status => status == -2);
        Assert.True(took < Bound, $"the second replica learned of the open circuit after {took}");

        var simulator = await SharedSimulator.GetAsync();
        var body = AlphaThenBeta(ChatRequests.Body("test/multi"));
        using var response = await onSecond.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Beta", (await response.JsonAsync())["provider"]!.GetValue<string>());
        Assert.DoesNotContain(simulator.Requests.Snapshot(), r => r.Body.Contains(body.Marker()) && r.Provider == "alpha");
    }

    [PostgresFact]
    public async Task A_successful_probe_on_one_replica_ends_the_pause_on_the_other()
    {
        var shortCoolDown = TimeSpan.FromSeconds(1);
        await using var database = await TestPostgres.CreateAsync();
        await using var first = await StartAsync(database, shortCoolDown);
        await using var second = await StartAsync(database, LongCoolDown);
        var (onFirst, _) = await KeyOnBothAsync(first, second);

        await PauseAlphaAsync(onFirst);
        await WaitForStatusAsync(second, "Alpha", status => status == -2);

        // The first replica's own cool-down ends; its probe succeeds, and the second replica, whose cool-down has
        // minutes left, hears of it.
        await Task.Delay(shortCoolDown + TimeSpan.FromMilliseconds(100)); // the cool-down is the behaviour under test
        using (var probe = await onFirst.PostChatAsync(Only(ChatRequests.Body("test/multi"), "alpha")))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }
        var took = await WaitForStatusAsync(second, "Alpha", status => status != -2);
        Assert.True(took < Bound, $"the second replica learned of the close after {took}");
    }

    private static async Task<GatewayFactory> StartAsync(TestPostgres database, TimeSpan coolDown) => await GatewayFactory.StartAsync(new Dictionary<string, string?>
    {
        ["Switchboard:Database:Provider"] = "Postgres",
        ["Switchboard:Database:ConnectionString"] = database.ConnectionString,
        ["Switchboard:Health:FailureThreshold"] = FailureThreshold.ToString(),
        ["Switchboard:Health:CoolDown"] = coolDown.ToString(),
        ["Switchboard:Health:ShareInterval"] = ShareInterval.ToString(),
    });

    /// <summary>An account with credit and one key, and a client of that key on each gateway.</summary>
    private static async Task<(HttpClient First, HttpClient Second)> KeyOnBothAsync(GatewayFactory first, GatewayFactory second)
    {
        using var admin = first.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("shared-health", 100m);
        using var management = first.CreateGatewayClient(account.ManagementKey);
        var key = (await management.CreateKeyAsync(new { name = "shared-health" })).Key;
        return (first.CreateGatewayClient(key), second.CreateGatewayClient(key));
    }

    private static async Task PauseAlphaAsync(HttpClient client)
    {
        for (var i = 0; i < FailureThreshold; i++)
        {
            var failing = Only(ChatRequests.Body("test/multi", new JsonObject
            {
                ["providers"] = new JsonObject { ["alpha"] = new JsonObject { ["status"] = 500 } },
            }), "alpha");
            using var failed = await client.PostChatAsync(failing);
            Assert.NotEqual(HttpStatusCode.OK, failed.StatusCode);
        }
    }

    private static JsonObject Only(JsonObject body, params string[] providers)
    {
        body["provider"] = new JsonObject { ["only"] = new JsonArray([.. providers.Select(p => JsonValue.Create(p))]) };
        return body;
    }

    private static JsonObject AlphaThenBeta(JsonObject body)
    {
        body["provider"] = new JsonObject { ["order"] = new JsonArray("alpha", "beta"), ["only"] = new JsonArray("alpha", "beta") };
        return body;
    }

    /// <summary>Polls the endpoint's status until <paramref name="reached"/> holds; returns how long that took.</summary>
    private static async Task<TimeSpan> WaitForStatusAsync(GatewayFactory gateway, string providerName, Func<int, bool> reached)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var status = await EndpointStatusAsync(gateway, providerName);
            if (reached(status))
            {
                return Stopwatch.GetElapsedTime(started);
            }
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30), $"status stayed {status}");
            await Task.Delay(50);
        }
    }

    /// <summary>test/multi's endpoint as <c>/models/{id}/endpoints</c> reports it: 0 healthy, -1 degraded, -2 circuit open.</summary>
    private static async Task<int> EndpointStatusAsync(GatewayFactory gateway, string providerName)
    {
        using var client = gateway.CreateGatewayClient();
        using var response = await client.GetAsync("/api/v1/models/test/multi/endpoints");
        var endpoints = (await response.JsonAsync())["data"]!["endpoints"]!.AsArray();
        return endpoints.Single(e => e!["provider_name"]!.GetValue<string>() == providerName)!["status"]!.GetValue<int>();
    }
}
