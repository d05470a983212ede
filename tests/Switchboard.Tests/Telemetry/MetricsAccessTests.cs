using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Telemetry;

// In-process gateways: a MeterProvider listens to the "Switchboard" meter by name, process-wide, so gateways of other
// tests running at the same moment would count into these scrapes (and this one's into theirs). This collection runs
// alone, after the rest.
/// <summary>
/// Who may read <c>GET /metrics</c>: anyone by default, as with most exporters; only the scrape token's holder, or
/// only some networks, when the operator says so; never by an API key, never rate-limited. Refusals are in our error shape.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MetricsAccessTests
{
    [Fact]
    public async Task By_default_metrics_are_served_to_anyone_in_Prometheus_text_whatever_the_rate_limit()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:RateLimits:RequestsPerMinute"] = "1" });
        using var anonymous = gateway.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
            var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            // Not Single: a MeterProvider listens to the "Switchboard" meter by name, process-wide, so a test process
            // running several gateways at once shows each one's gauges (a deployed gateway is one per process).
            Assert.NotEmpty(metrics.Find("switchboard_journal_capacity"));
        }
        // An inference key past its limit is refused on the API, not on /metrics, which never looks at it.
        using var client = gateway.CreateGatewayClient();
        using (await client.PostChatAsync(ChatRequests.Body("test/multi")))
        using (var limited = await client.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }
        using var scrape = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var refusals = await MetricsEndpointTests.ScrapeUntilAsync(client, m => m.Sum("switchboard_rate_limit_refusals_total", ("limit", "key_requests")) >= 1);
        Assert.True(refusals.Sum("switchboard_rate_limit_refusals_total", ("limit", "key_requests")) >= 1);
    }

    [Fact]
    public async Task With_a_scrape_token_only_its_bearer_reads_the_metrics_and_an_api_key_is_refused_in_our_error_shape()
    {
        const string Token = "scrape-token-0123456789abcdef";
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Telemetry:MetricsToken"] = Token });
        using var anonymous = gateway.CreateClient();

        await AssertRefusedAsync(anonymous, null, HttpStatusCode.Unauthorized, "MetricsToken");
        await AssertRefusedAsync(anonymous, "wrong-token-0123456789abcdef", HttpStatusCode.Unauthorized, "MetricsToken");
        await AssertRefusedAsync(anonymous, gateway.InferenceKey, HttpStatusCode.Unauthorized, "MetricsToken");
        await AssertRefusedAsync(anonymous, GatewayFactory.ManagementKey, HttpStatusCode.Unauthorized, "MetricsToken");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new("Bearer", Token);
        using var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("switchboard_journal_backlog", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/8", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.0/8", HttpStatusCode.OK)]
    public async Task With_networks_set_metrics_are_served_only_to_addresses_inside_them(string network, HttpStatusCode expected)
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Telemetry:MetricsNetworks:0"] = network });
        using var anonymous = gateway.CreateClient();
        if (expected == HttpStatusCode.OK)
        {
            using var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            await AssertRefusedAsync(anonymous, null, expected, "MetricsNetworks");
        }
    }

    [Fact]
    public async Task Turned_off_there_is_no_metrics_endpoint()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Telemetry:Prometheus"] = "false" });
        using var anonymous = gateway.CreateClient();
        using var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Switchboard:Telemetry:MetricsToken", "short")]
    [InlineData("Switchboard:Telemetry:MetricsNetworks:0", "10.0.0.1/8")]
    [InlineData("Switchboard:Telemetry:OtlpEndpoint", "collector:4318")]
    [InlineData("Switchboard:Telemetry:TraceSampleRatio", "1.5")]
    public async Task A_bad_setting_stops_the_start_naming_it(string setting, string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => GatewayFactory.StartAsync(new Dictionary<string, string?> { [setting] = value }));
        Assert.Contains(setting.Split(':')[2], failure.ToString(), StringComparison.Ordinal);
    }

    private static async Task AssertRefusedAsync(HttpClient client, string? bearer, HttpStatusCode status, string naming)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal((int)status, error["code"]!.GetValue<int>());
        Assert.Contains(naming, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
