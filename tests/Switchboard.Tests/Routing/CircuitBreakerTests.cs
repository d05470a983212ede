using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

/// <summary>A gateway with a short cool-down, so the probe after it can be observed.</summary>
public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private static readonly TimeSpan CoolDown = TimeSpan.FromMilliseconds(300);
    private GatewayFactory _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Health:FailureThreshold"] = "2",
            ["Switchboard:Health:CoolDown"] = CoolDown.ToString(),
        });
        _client = _gateway.CreateGatewayClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
    }

    private async Task<(string Provider, string Marker)> SendAsync(bool alphaFails)
    {
        var body = ChatRequests.Body("test/multi", alphaFails ? JsonNode.Parse("""{"providers":{"alpha":{"status":500}}}""")!.AsObject() : null);
        body["provider"] = new JsonObject { ["order"] = new JsonArray("alpha", "beta") };
        using var response = await _client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ((await response.JsonAsync())["provider"]!.GetValue<string>(), body.Marker());
    }

    [Fact]
    public async Task After_the_cool_down_one_probe_reaches_the_endpoint_and_success_closes_the_circuit()
    {
        var simulator = await SharedSimulator.GetAsync();
        Assert.Equal("Beta", (await SendAsync(alphaFails: true)).Provider);
        Assert.Equal("Beta", (await SendAsync(alphaFails: true)).Provider);

        var (whileOpen, marker) = await SendAsync(alphaFails: false);
        Assert.Equal("Beta", whileOpen);
        Assert.DoesNotContain(simulator.Requests.Snapshot(), r => r.Body.Contains(marker) && r.Provider == "alpha");

        await Task.Delay(CoolDown + TimeSpan.FromMilliseconds(100)); // the cool-down is the behaviour under test

        Assert.Equal("Alpha", (await SendAsync(alphaFails: false)).Provider);
        Assert.Equal("Alpha", (await SendAsync(alphaFails: false)).Provider);
    }

    [Fact]
    public async Task A_failed_probe_opens_the_circuit_again_at_once()
    {
        var simulator = await SharedSimulator.GetAsync();
        await SendAsync(alphaFails: true);
        await SendAsync(alphaFails: true);
        await Task.Delay(CoolDown + TimeSpan.FromMilliseconds(100));

        Assert.Equal("Beta", (await SendAsync(alphaFails: true)).Provider); // the probe fails

        var (provider, marker) = await SendAsync(alphaFails: false);
        Assert.Equal("Beta", provider);
        Assert.DoesNotContain(simulator.Requests.Snapshot(), r => r.Body.Contains(marker) && r.Provider == "alpha");
    }
}
