using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers;

/// <summary>
/// A provider configured with <c>Http2</c> is spoken to over cleartext HTTP/2 with prior knowledge, so thousands
/// of streams can share a few connections; others stay on HTTP/1.1.
/// </summary>
public sealed class Http2UpstreamTests : IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private Switchboard.Simulator.SimulatorServer _simulator = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SharedSimulator.GetAsync();
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Providers:alpha:BaseUrl"] = new Uri(_simulator.Http2BaseAddress!, "alpha/v1").ToString(),
            ["Switchboard:Providers:alpha:Http2"] = "true",
        });
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_provider_set_to_Http2_is_called_over_h2c(bool stream)
    {
        using var client = _gateway.CreateGatewayClient();
        var body = ChatRequests.Body("test/billed", new JsonObject { ["tokens"] = 5 }, stream);

        using var response = await client.PostChatAsync(body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"completion_tokens\":5", text, StringComparison.Ordinal);
        var upstream = await _simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5));
        Assert.Equal("HTTP/2", upstream.Protocol);
    }

    [Fact]
    public async Task Other_providers_stay_on_HTTP_1_1()
    {
        using var client = _gateway.CreateGatewayClient();
        var body = ChatRequests.Body("test/other", new JsonObject { ["tokens"] = 3 });

        using var response = await client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await _simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5));
        Assert.Equal("HTTP/1.1", upstream.Protocol);
    }
}
