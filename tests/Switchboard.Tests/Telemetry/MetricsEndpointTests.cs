using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Telemetry;

/// <summary>
/// <c>GET /metrics</c> after real traffic, against a gateway process of its own: meters are named process-wide, so a
/// gateway sharing the test process with others would show their traffic too.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task After_a_success_a_fallback_a_402_a_stream_and_an_unknown_model_the_metrics_count_each_with_bounded_labels()
    {
        using var gateway = await StartGatewayAsync();
        var admin = gateway.Admin;
        using var client = Client(admin, (await admin.CreateKeyAsync(new { name = "metrics" })).Key);
        using var capped = Client(admin, (await admin.CreateKeyAsync(new { name = "capped", limit = 0.0001 })).Key);

        // A success, and a fallback from the dead provider (connection refused) to alpha.
        var success = await CompleteAsync(client, ChatRequests.Body("test/multi"));
        // The order is named: without it the dead endpoint is only the likelier first pick (price-weighted).
        var deadFirst = ChatRequests.Body("test/dead-first");
        deadFirst["provider"] = new JsonObject { ["order"] = new JsonArray("dead", "alpha") };
        var fellBack = await CompleteAsync(client, deadFirst);
        // A 402: the key's limit is far below the hold of test/billed (1,000 USD a million prompt tokens).
        using (var refused = await capped.PostChatAsync(ChatRequests.Body("test/billed")))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        }
        // A stream, read to its end.
        using (var stream = await client.PostStreamAsync(ChatRequests.Body("test/multi", stream: true)))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            Assert.Contains("[DONE]", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // A model nobody has: refused, and it must not become a series of its own.
        string unknownStatus;
        using (var unknown = await client.PostChatAsync(ChatRequests.Body("nobody/made-up-model-7f3a")))
        {
            Assert.True(unknown.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{unknown.StatusCode}");
            unknownStatus = ((int)unknown.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Requests are counted as they end, which may be just after the client has its last byte: wait for all five.
        var metrics = await ScrapeUntilAsync(admin, m => m.Sum("switchboard_requests_total") >= 5);

        Assert.Equal(5, metrics.Sum("switchboard_requests_total"));
        Assert.Equal(2, metrics.Sum("switchboard_requests_total", ("model", "test/multi"), ("status_code", "200"), ("status_class", "2xx"), ("api", "chat.completions")));
        Assert.All(metrics.Find("switchboard_requests_total", ("model", "test/multi")), s => Assert.Contains(s.Labels["provider"], new[] { "alpha", "beta", "gamma" }));
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("model", "test/dead-first"), ("provider", "alpha"), ("status_class", "2xx")));
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("model", "test/billed"), ("provider", "none"), ("status_code", "402"), ("status_class", "4xx")));
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("model", "unknown"), ("provider", "none"), ("status_code", unknownStatus)));
        Assert.DoesNotContain("made-up-model", metrics.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(client.DefaultRequestHeaders.Authorization!.Parameter!, metrics.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(metrics.Samples, s => s.Labels.ContainsKey("account")); // off by default

        // The fallback, by why the dead endpoint failed; the attempts, by outcome.
        Assert.Equal(1, metrics.Sum("switchboard_fallbacks_total", ("reason", "connection"), ("model", "test/dead-first"), ("provider", "dead")));
        Assert.Equal(1, metrics.Sum("switchboard_upstream_attempts_total", ("provider", "dead"), ("outcome", "connection")));
        Assert.Equal(2, metrics.Sum("switchboard_upstream_attempts_total", ("model", "test/multi"), ("outcome", "success")));
        Assert.Equal(1, metrics.Sum("switchboard_upstream_attempts_total", ("provider", "alpha"), ("model", "test/dead-first"), ("outcome", "success")));

        // Tokens and cost as priced: what the client was told.
        var usage = fellBack["usage"]!;
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>(), metrics.Sum("switchboard_tokens_total", ("model", "test/dead-first"), ("type", "prompt")));
        Assert.Equal(usage["completion_tokens"]!.GetValue<int>(), metrics.Sum("switchboard_tokens_total", ("model", "test/dead-first"), ("type", "completion")));
        Assert.Equal(usage["cost"]!.GetValue<double>(), metrics.Sum("switchboard_cost_usd_total", ("model", "test/dead-first"), ("provider", "alpha")), 12);
        Assert.True(success["usage"]!["cost"]!.GetValue<double>() > 0);

        // Latency: every request in the duration histogram (the two may have gone to different providers of test/multi), with the declared buckets; first tokens for the stream only.
        Assert.Equal(2, metrics.Sum("switchboard_request_duration_seconds_count", ("model", "test/multi"), ("status_code", "200")));
        Assert.NotEmpty(metrics.Find("switchboard_request_duration_seconds_bucket", ("model", "test/multi"), ("status_code", "200"), ("le", "0.05")));
        Assert.Equal(2, metrics.Sum("switchboard_request_duration_seconds_bucket", ("model", "test/multi"), ("status_code", "200"), ("le", "+Inf")));
        Assert.Equal(1, metrics.Sum("switchboard_time_to_first_token_seconds_count", ("model", "test/multi")));
        Assert.NotEmpty(metrics.Find("switchboard_time_to_first_token_seconds_bucket", ("model", "test/multi"), ("le", "0.025")));

        // The gauges: the dead endpoint degraded after one failure (three open its circuit here), alpha's healthy; the
        // journal's capacity; the lease this instance took for the account, and no hold left open.
        Assert.Equal(1, metrics.Sum("switchboard_endpoint_circuit_state", ("provider", "dead"), ("model", "test/dead-first")));
        Assert.Equal(0, metrics.Sum("switchboard_endpoint_circuit_state", ("provider", "alpha"), ("model", "test/multi")));
        Assert.Empty(metrics.Find("switchboard_endpoint_circuit_state", ("provider", "nokey")));
        Assert.True(metrics.Sum("switchboard_journal_capacity") > 0);
        Assert.Single(metrics.Find("switchboard_journal_backlog"));
        Assert.True(metrics.Sum("switchboard_credit_leased_usd") > 0);
        Assert.True(metrics.Sum("switchboard_credit_leases") >= 1);
        Assert.Equal(0, metrics.Sum("switchboard_credit_holds"));
    }

    [Fact]
    public async Task Requests_refused_before_the_handler_count_under_their_API_and_status_but_other_routes_do_not()
    {
        using var gateway = await StartGatewayAsync();
        var admin = gateway.Admin;
        using var limited = Client(admin, (await admin.CreateKeyAsync(new { name = "one a minute", requests_per_minute = 1 })).Key);
        using var wrongKey = Client(admin, "sk-sb-v1-" + new string('0', 64));
        using var anonymous = new HttpClient { BaseAddress = admin.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        async Task ExpectAsync(HttpClient client, string path, HttpStatusCode status)
        {
            using var response = await client.PostAsync(path, new StringContent(ChatRequests.Body("test/multi").ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(status, response.StatusCode);
        }
        await ExpectAsync(wrongKey, "/api/v1/chat/completions", HttpStatusCode.Unauthorized);
        await ExpectAsync(anonymous, "/api/v1/messages", HttpStatusCode.Unauthorized);
        await ExpectAsync(admin, "/api/v1/responses", HttpStatusCode.Forbidden); // a management key cannot call models
        await ExpectAsync(limited, "/api/v1/chat/completions", HttpStatusCode.OK);
        await ExpectAsync(limited, "/api/v1/chat/completions", HttpStatusCode.TooManyRequests);
        // Not a generation route: refused all the same, but not one of the APIs' requests.
        using (var notGeneration = await wrongKey.GetAsync(new Uri("/api/v1/credits", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, notGeneration.StatusCode);
        }

        var metrics = await ScrapeUntilAsync(admin, m => m.Sum("switchboard_requests_total") >= 5);

        Assert.Equal(5, metrics.Sum("switchboard_requests_total"));
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("api", "chat.completions"), ("status_code", "401"), ("model", "unknown"), ("provider", "none")));
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("api", "messages"), ("status_code", "401")));
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("api", "responses"), ("status_code", "403")));
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("api", "chat.completions"), ("status_code", "429")));
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("api", "chat.completions"), ("status_code", "200")));
        Assert.Equal(5, metrics.Sum("switchboard_request_duration_seconds_count"));
        Assert.Equal(1, metrics.Sum("switchboard_rate_limit_refusals_total", ("limit", "key_requests")));
    }

    [Fact]
    public async Task With_account_labels_on_the_first_accounts_get_their_id_and_the_rest_share_other()
    {
        using var gateway = await StartGatewayAsync(new() { ["Switchboard:Telemetry:AccountLabels"] = "true", ["Switchboard:Telemetry:MaxAccountLabels"] = "1" });
        var admin = gateway.Admin;
        using var first = Client(admin, (await admin.CreateKeyAsync(new { name = "admin's" })).Key);
        var other = await admin.CreateAccountAsync("second", 10m);
        using var otherManagement = Client(admin, other.ManagementKey);
        using var second = Client(admin, (await otherManagement.CreateKeyAsync(new { name = "second's" })).Key);

        await CompleteAsync(first, ChatRequests.Body("test/multi"));
        await CompleteAsync(second, ChatRequests.Body("test/multi"));
        var metrics = await ScrapeUntilAsync(admin, m => m.Sum("switchboard_requests_total") >= 2);

        // The first account seen keeps its id; past the cap every account is "other".
        var labelled = metrics.Find("switchboard_requests_total").Where(s => s.Labels.TryGetValue("account", out var a) && a != "other").ToList();
        Assert.Single(labelled);
        Assert.True(long.TryParse(labelled[0].Labels["account"], out _));
        Assert.Equal(1, labelled[0].Value);
        Assert.Equal(1, metrics.Sum("switchboard_requests_total", ("account", "other")));
        Assert.Single(metrics.Find("switchboard_tokens_total", ("account", "other"), ("type", "prompt")));
    }

    /// <summary>A gateway process of this test's own (the default test settings, then <paramref name="overrides"/>) and a client with its management key.</summary>
    private async Task<OwnGateway> StartGatewayAsync(Dictionary<string, string?>? overrides = null)
    {
        var port = GatewayProcess.FreePort();
        var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.ManagementKey);
        var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
        settings["Switchboard:Database:DataDirectory"] = _dataDirectory;
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }
        return new OwnGateway(await GatewayProcess.StartAsync(port, admin, settings), admin);
    }

    private sealed record OwnGateway(GatewayProcess Process, HttpClient Admin) : IDisposable
    {
        public void Dispose()
        {
            Admin.Dispose();
            Process.Dispose();
        }
    }

    private static HttpClient Client(HttpClient admin, string key)
    {
        var client = new HttpClient { BaseAddress = admin.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    private static async Task<JsonObject> CompleteAsync(HttpClient client, JsonObject body)
    {
        using var response = await client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>
    /// Scrapes until <paramref name="ready"/> holds, at most 15 s, then once more after the exporter's cache window, and
    /// returns that scrape. A scrape is served from a copy collected up to 1 s earlier, and one collection reads the
    /// instruments one after another: a copy collected while the last requests ended can hold their count in one
    /// instrument and not yet in another (a fallback counted as 0 while the requests already number five). A copy
    /// collected after <paramref name="ready"/> was first seen holds every instrument's full count.
    /// </summary>
    internal static async Task<PrometheusText> ScrapeUntilAsync(HttpClient http, Func<PrometheusText, bool> ready)
    {
        using var anonymous = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var metrics = await ScrapeAsync(anonymous);
            if (DateTime.UtcNow > deadline)
            {
                return metrics;
            }
            if (ready(metrics))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1_100)); // the exporter's cache window is the behaviour waited out
                return await ScrapeAsync(anonymous);
            }
            await Task.Delay(200);
        }
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient anonymous)
    {
        using var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
    }
}
