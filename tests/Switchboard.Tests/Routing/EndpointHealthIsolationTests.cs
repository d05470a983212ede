using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

/// <summary>
/// One tenant's requests must never take a model offline for the others. Each test has its own gateway (health is
/// per gateway) with a low failure threshold; the cool-down is long (a paused endpoint stays paused for the whole
/// test) unless the test waits it out. Tenant A misbehaves; tenant B is an honest account of its own.
/// </summary>
public sealed class EndpointHealthIsolationTests : IAsyncLifetime
{
    private const int FailureThreshold = 3;
    private static readonly TimeSpan LongCoolDown = TimeSpan.FromMinutes(5);

    private GatewayFactory? _gateway;
    private HttpClient _tenantA = null!;
    private HttpClient _tenantB = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(TimeSpan coolDown)
    {
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Health:FailureThreshold"] = FailureThreshold.ToString(),
            ["Switchboard:Health:CoolDown"] = coolDown.ToString(),
        });
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        _tenantA = await TenantAsync(admin, "tenant-a");
        _tenantB = await TenantAsync(admin, "tenant-b");
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            _tenantA.Dispose();
            _tenantB.Dispose();
            await _gateway.DisposeAsync();
        }
    }

    private async Task<HttpClient> TenantAsync(HttpClient admin, string name)
    {
        var account = await admin.CreateAccountAsync(name, 100m);
        using var management = _gateway!.CreateGatewayClient(account.ManagementKey);
        return _gateway!.CreateGatewayClient((await management.CreateKeyAsync(new { name })).Key);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(422)]
    public async Task Requests_the_provider_refuses_as_the_clients_fault_never_pause_the_model_for_another_tenant(int status)
    {
        await StartAsync(LongCoolDown);
        for (var i = 0; i < FailureThreshold * 3; i++)
        {
            using var refused = await _tenantA.PostChatAsync(ChatRequests.Body("test/billed", Fault("alpha", status)));
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        }

        await AssertServedAsync(_tenantB, "test/billed", "Alpha");
        Assert.Equal(0, await EndpointStatusAsync("test/billed", "Alpha"));
    }

    [Fact]
    public async Task A_provider_rate_limit_ranks_the_endpoint_lower_but_never_locks_the_model_out()
    {
        await StartAsync(LongCoolDown);
        for (var i = 0; i < FailureThreshold * 3; i++)
        {
            using var limited = await _tenantA.PostChatAsync(ChatRequests.Body("test/billed", Fault("alpha", 429)));
            Assert.NotEqual(HttpStatusCode.OK, limited.StatusCode);
        }

        await AssertServedAsync(_tenantB, "test/billed", "Alpha");
        Assert.Equal(-1, await EndpointStatusAsync("test/billed", "Alpha")); // degraded: ranked after healthy ones, never paused
    }

    [Fact]
    public async Task A_single_provider_model_whose_circuit_opened_is_still_tried_and_one_success_closes_it()
    {
        await StartAsync(LongCoolDown);
        for (var i = 0; i < FailureThreshold; i++)
        {
            using var failed = await _tenantA.PostChatAsync(ChatRequests.Body("test/billed", Fault("alpha", 500)));
            Assert.NotEqual(HttpStatusCode.OK, failed.StatusCode);
        }
        Assert.Equal(-2, await EndpointStatusAsync("test/billed", "Alpha"));

        // The circuit is open and the cool-down has not ended: the only endpoint is tried anyway, and it answers.
        var marker = await AssertServedAsync(_tenantB, "test/billed", "Alpha");
        Assert.Contains((await SharedSimulator.GetAsync()).Requests.Snapshot(), r => r.Body.Contains(marker) && r.Provider == "alpha");
        Assert.Equal(-1, await EndpointStatusAsync("test/billed", "Alpha")); // closed: only degraded for the recent-failure window
    }

    [Fact]
    public async Task When_every_endpoint_is_paused_the_one_that_failed_least_recently_is_tried_and_only_that_one()
    {
        await StartAsync(LongCoolDown);
        var simulator = await SharedSimulator.GetAsync();
        // Pause beta first, then alpha (both fail; the other providers of test/multi are left out by "only").
        foreach (var provider in new[] { "beta", "alpha" })
        {
            for (var i = 0; i < FailureThreshold; i++)
            {
                var failing = Only(ChatRequests.Body("test/multi", Fault(provider, 500)), provider);
                using var failed = await _tenantA.PostChatAsync(failing);
                Assert.NotEqual(HttpStatusCode.OK, failed.StatusCode);
            }
        }

        var body = Only(ChatRequests.Body("test/multi", Fault("beta", 500)), "alpha", "beta");
        using var response = await _tenantB.PostChatAsync(body);

        // Beta failed least recently, so it is the probe; it fails again, and alpha, still paused, is not called.
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var calls = simulator.Requests.Snapshot().Where(r => r.Body.Contains(body.Marker())).Select(r => r.Provider).ToList();
        Assert.Equal(["beta"], calls);
        var attempts = (await response.JsonAsync())["error"]!["metadata"]!["attempts"]!.AsArray();
        Assert.Equal(["Beta", "Alpha"], attempts.Select(a => a!["provider"]!.GetValue<string>()));
        Assert.Equal("circuit_open", attempts[1]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_probe_that_ends_without_a_verdict_is_released_so_the_endpoint_is_probed_again_and_reported_as_routing_sees_it()
    {
        var coolDown = TimeSpan.FromSeconds(2);
        await StartAsync(coolDown);
        for (var i = 0; i < FailureThreshold; i++)
        {
            using var fellBack = await _tenantA.PostChatAsync(ClaudeThenGemini(ScriptedPrompt(Fault("claude", 500))));
            Assert.Equal("Gemini", (await fellBack.JsonAsync())["provider"]!.GetValue<string>());
        }
        Assert.Equal(-2, await EndpointStatusAsync("test/tri", "Claude"));
        await Task.Delay(coolDown + TimeSpan.FromMilliseconds(200)); // the cool-down is the behaviour under test

        // The probe's request is one the provider refuses as the client's fault: no verdict on the endpoint, and the
        // probe must not stay taken (once, a translation that threw left it taken until a restart).
        using (var refused = await _tenantA.PostChatAsync(ClaudeThenGemini(ScriptedPrompt(Fault("claude", 400)))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var served = await _tenantB.PostChatAsync(ClaudeThenGemini("Hello"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("Claude", (await served.JsonAsync())["provider"]!.GetValue<string>());
        Assert.Equal(-1, await EndpointStatusAsync("test/tri", "Claude"));
    }

    /// <summary>test/tri with Claude first and Gemini as the fallback, strictly in that order.</summary>
    private static JsonObject ClaudeThenGemini(string prompt)
    {
        var body = ChatRequests.Body("test/tri", content: prompt);
        body["provider"] = new JsonObject { ["order"] = new JsonArray("claude", "gem") };
        return body;
    }

    /// <summary>A prompt carrying the simulator's script, which survives translation to every protocol.</summary>
    private static string ScriptedPrompt(JsonObject script) => $"Hello <simulator>{script.ToJsonString()}</simulator>";

    private static JsonObject Fault(string provider, int status) =>
        new() { ["providers"] = new JsonObject { [provider] = new JsonObject { ["status"] = status } } };

    private static JsonObject Only(JsonObject body, params string[] providers)
    {
        body["provider"] = new JsonObject { ["only"] = new JsonArray([.. providers.Select(p => JsonValue.Create(p))]) };
        return body;
    }

    private static async Task<string> AssertServedAsync(HttpClient client, string model, string provider)
    {
        var body = ChatRequests.Body(model);
        using var response = await client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(provider, (await response.JsonAsync())["provider"]!.GetValue<string>());
        return body.Marker();
    }

    /// <summary>The endpoint's status as <c>/models/{id}/endpoints</c> reports it: 0 healthy, -1 degraded, -2 circuit open.</summary>
    private async Task<int> EndpointStatusAsync(string model, string providerName)
    {
        using var client = _gateway!.CreateGatewayClient();
        using var response = await client.GetAsync($"/api/v1/models/{model}/endpoints");
        var endpoints = (await response.JsonAsync())["data"]!["endpoints"]!.AsArray();
        return endpoints.Single(e => e!["provider_name"]!.GetValue<string>() == providerName)!["status"]!.GetValue<int>();
    }
}
