using System.Net;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Telemetry;

// In the process collection, alone: a MeterProvider listens to the "Switchboard" meter by name, process-wide, so
// another test's gateway running at the same moment would count into this one's scrapes and break the exact sums.
/// <summary>
/// A real Prometheus server scrapes <c>GET /metrics</c> the way an operator's would (content negotiation, OpenMetrics
/// included, and the scrape token), and what it stores adds up to the requests the gateway served.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PrometheusScrapeTests
{
    private const string Token = "scrape-token-prometheus-0123456789";

    [Fact]
    public async Task A_real_Prometheus_scrapes_the_gateway_with_its_token_and_stores_exactly_the_requests_served()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Telemetry:MetricsToken"] = Token });
        using var client = gateway.CreateGatewayClient();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        int refused;
        using (var unknown = await client.PostChatAsync(ChatRequests.Body("test/no-such-model")))
        {
            refused = (int)unknown.StatusCode;
            Assert.InRange(refused, 400, 499);
        }

        var target = client.BaseAddress!.Authority;
        await using var prometheus = await PrometheusServer.StartAsync(
        [
            new ScrapeJob("switchboard", target, Token),
            new ScrapeJob("without-token", target, null),
        ]);

        var served = await prometheus.UntilAsync(
            () => prometheus.ScalarAsync("""sum(switchboard_requests_total{job="switchboard",model="test/multi",status_code="200"})"""),
            value => value == 3m);
        Assert.True(served == 3m, $"Prometheus stored {served?.ToString() ?? "no series"} for the 3 requests served.\n{prometheus.Output}");
        Assert.Equal(3m, await prometheus.ScalarAsync(
            """sum(switchboard_request_duration_seconds_count{job="switchboard",model="test/multi",status_code="200"})"""));
        Assert.Equal(1m, await prometheus.ScalarAsync($$"""sum(switchboard_requests_total{job="switchboard",status_code="{{refused}}"})"""));
        Assert.True(await prometheus.ScalarAsync("""sum(switchboard_tokens_total{job="switchboard",model="test/multi",type="completion"})""") > 0m);
        Assert.NotNull(await prometheus.ScalarAsync("""switchboard_journal_capacity{job="switchboard"}"""));

        // The same gateway refuses the scraper that has no token, and Prometheus reports why.
        var targets = await prometheus.UntilAsync(prometheus.TargetsAsync, t => t["without-token"].Health == "down");
        Assert.Equal("up", targets["switchboard"].Health);
        Assert.Equal("down", targets["without-token"].Health);
        Assert.Contains("401", targets["without-token"].LastError, StringComparison.Ordinal);
        Assert.Null(await prometheus.ScalarAsync("""switchboard_journal_capacity{job="without-token"}"""));
    }
}
