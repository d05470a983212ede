using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Catalog;
using Switchboard.Catalog.Discovery;
using Switchboard.Simulator;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Catalog;

/// <summary>
/// Local servers' models appear by themselves (issue 17): a real gateway polls the simulator's <c>GET /v1/models</c>.
/// Each test scripts its own provider slug, since every gateway of the run shares one simulator. Polls are driven by
/// <see cref="ModelDiscovery.PollAsync"/> (the interval is an hour), so nothing waits on a timer.
/// </summary>
public sealed class DiscoveryTests
{
    private static Task PollAsync(GatewayFactory gateway) =>
        gateway.Services.GetRequiredService<ModelDiscovery>().PollAsync(CancellationToken.None);

    /// <summary>A gateway with provider <paramref name="slug"/> (defined in configuration unless the test catalog has it) marked for discovery.</summary>
    private static async Task<GatewayFactory> StartAsync(SimulatorServer simulator, string slug, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Switchboard:Providers:{slug}:BaseUrl"] = simulator.ProviderBaseUrl(slug).ToString(),
            [$"Switchboard:Providers:{slug}:Discovery"] = "true",
            ["Switchboard:Discovery:Interval"] = "01:00:00",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        return await GatewayFactory.StartAsync(settings);
    }

    private static async Task<JsonArray> ModelsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/models");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["data"]!.AsArray();
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string prefix) =>
        [.. (await ModelsAsync(client)).Select(m => m!["id"]!.GetValue<string>()).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Listed_models_are_served_at_price_zero_unless_configured_and_shown_in_both_catalogs()
    {
        var simulator = await SharedSimulator.GetAsync();
        // local-model is the test catalog's own endpoint of local (test/free); priced is configured below.
        simulator.Models.Set("local", "llama3.1:8b", "Qwen/Qwen2.5-Coder-7B", "local-model", "priced");
        try
        {
            await using var gateway = await StartAsync(simulator, "local", new()
            {
                ["Switchboard:Models:local/priced:Endpoints:local:UpstreamModel"] = "priced",
                ["Switchboard:Models:local/priced:Endpoints:local:Pricing:Prompt"] = "1",
                ["Switchboard:Models:local/priced:Endpoints:local:Pricing:Completion"] = "2",
            });
            using var client = gateway.CreateGatewayClient();

            // The first poll ran during start-up (Discovery:StartupWait), so the models are there without a poll here.
            var models = await ModelsAsync(client);
            Assert.Equal(["local/llama3.1-8b", "local/priced", "local/qwen-qwen2.5-coder-7b"], await IdsAsync(client, "local/"));
            var llama = models.Single(m => m!["id"]!.GetValue<string>() == "local/llama3.1-8b")!;
            Assert.Equal("Local: llama3.1:8b", llama["name"]!.GetValue<string>());
            Assert.Equal("0", llama["pricing"]!["prompt"]!.GetValue<string>());
            Assert.Equal("0", llama["pricing"]!["completion"]!.GetValue<string>());
            Assert.True(llama["discovered"]!.GetValue<bool>());
            Assert.Contains("Discovered on Local", llama["description"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(8192, llama["context_length"]!.GetValue<int>());
            // Names the catalog already serves from the provider stay as the catalog has them: no second model.
            Assert.Null(models.Single(m => m!["id"]!.GetValue<string>() == "local/priced")!["discovered"]);
            Assert.Single(models, m => m!["id"]!.GetValue<string>() == "test/free");

            using var web = await client.GetAsync("/web/catalog");
            var webModels = (await web.JsonAsync())["models"]!.AsArray();
            var webLlama = webModels.Single(m => m!["id"]!.GetValue<string>() == "local/llama3.1-8b")!;
            Assert.True(webLlama["discovered"]!.GetValue<bool>());
            Assert.Equal(["local"], webLlama["providers"]!.AsArray().Select(p => p!.GetValue<string>()));
            Assert.False(webModels.Single(m => m!["id"]!.GetValue<string>() == "test/free")!["discovered"]!.GetValue<bool>());

            using var endpoints = await client.GetAsync("/api/v1/models/local/llama3.1-8b/endpoints");
            Assert.Equal(HttpStatusCode.OK, endpoints.StatusCode);
            Assert.Equal("Local", (await endpoints.JsonAsync())["data"]!["endpoints"]![0]!["provider_name"]!.GetValue<string>());

            var free = ChatRequests.Body("local/llama3.1-8b");
            using var freeResponse = await client.PostChatAsync(free);
            Assert.Equal(HttpStatusCode.OK, freeResponse.StatusCode);
            var freeJson = await freeResponse.JsonAsync();
            Assert.Equal("Local", freeJson["provider"]!.GetValue<string>());
            Assert.Equal(0m, freeJson["usage"]!["cost"]!.GetValue<decimal>());
            var upstream = await simulator.Requests.WaitForAsync(r => r.Body.Contains(free.Marker()), TimeSpan.FromSeconds(5));
            Assert.Equal("llama3.1:8b", JsonNode.Parse(upstream.Body)!["model"]!.GetValue<string>());
            Assert.Equal("/local/v1/chat/completions", upstream.Path);

            using var pricedResponse = await client.PostChatAsync(ChatRequests.Body("local/priced"));
            Assert.Equal(HttpStatusCode.OK, pricedResponse.StatusCode);
            Assert.True((await pricedResponse.JsonAsync())["usage"]!["cost"]!.GetValue<decimal>() > 0m);

            // The credential configured for the provider is sent with the poll, as with requests.
            var poll = await simulator.Requests.WaitForAsync(r => r.Path == "/local/v1/models", TimeSpan.FromSeconds(5));
            Assert.Equal("Bearer key-local", poll.Authorization);
        }
        finally
        {
            simulator.Models.Reset("local");
        }
    }

    [Fact]
    public async Task A_model_added_upstream_appears_after_the_next_poll_and_a_removed_one_disappears()
    {
        var simulator = await SharedSimulator.GetAsync();
        simulator.Models.SetWithContext("disc-churn", ("first", 32768));
        await using var gateway = await StartAsync(simulator, "disc-churn");
        using var client = gateway.CreateGatewayClient();
        Assert.Equal(["disc-churn/first"], await IdsAsync(client, "disc-churn/"));
        Assert.Equal(32768, (await ModelsAsync(client)).Single(m => m!["id"]!.GetValue<string>() == "disc-churn/first")!["context_length"]!.GetValue<int>());

        simulator.Models.Set("disc-churn", "first", "second");
        await PollAsync(gateway);
        Assert.Equal(["disc-churn/first", "disc-churn/second"], await IdsAsync(client, "disc-churn/"));

        simulator.Models.Set("disc-churn", "second");
        await PollAsync(gateway);
        Assert.Equal(["disc-churn/second"], await IdsAsync(client, "disc-churn/"));
        using var gone = await client.PostChatAsync(ChatRequests.Body("disc-churn/first"));
        Assert.Equal(HttpStatusCode.BadRequest, gone.StatusCode);
        using var endpoints = await client.GetAsync("/api/v1/models/disc-churn/first/endpoints");
        Assert.Equal(HttpStatusCode.NotFound, endpoints.StatusCode);
        using var served = await client.PostChatAsync(ChatRequests.Body("disc-churn/second"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task A_provider_down_at_start_up_does_not_stop_the_gateway_and_its_models_appear_when_it_answers()
    {
        var simulator = await SharedSimulator.GetAsync();
        simulator.Models.SetRaw("disc-down", 503, "{\"error\":\"loading\"}"u8.ToArray());
        await using var gateway = await StartAsync(simulator, "disc-down", new() { ["Switchboard:Discovery:Timeout"] = "00:00:00.300" });
        using var client = gateway.CreateGatewayClient();
        Assert.Empty(await IdsAsync(client, "disc-down/"));
        using (var staticModel = await client.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            Assert.Equal(HttpStatusCode.OK, staticModel.StatusCode);
        }

        simulator.Models.Set("disc-down", "llama3.2:3b");
        await PollAsync(gateway);
        Assert.Equal(["disc-down/llama3.2-3b"], await IdsAsync(client, "disc-down/"));

        // Failing again, whether with an error or by hanging past the timeout, keeps what it last listed.
        simulator.Models.SetRaw("disc-down", 500, "oops"u8.ToArray());
        await PollAsync(gateway);
        simulator.Models.SetRaw("disc-down", 200, "{\"data\":[]}"u8.ToArray(), delay: TimeSpan.FromSeconds(30));
        var started = TimeProvider.System.GetTimestamp();
        await PollAsync(gateway);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "the poll waited past its timeout");
        Assert.Equal(["disc-down/llama3.2-3b"], await IdsAsync(client, "disc-down/"));
    }

    [Fact]
    public async Task A_provider_that_refuses_connections_at_start_up_leaves_the_static_catalog_served()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Providers:disc-closed:BaseUrl"] = "http://127.0.0.1:1/v1",
            ["Switchboard:Providers:disc-closed:Discovery"] = "true",
        });
        using var client = gateway.CreateGatewayClient();
        await PollAsync(gateway);
        Assert.Empty(await IdsAsync(client, "disc-closed/"));
        Assert.NotEmpty(await IdsAsync(client, "test/"));
    }

    [Fact]
    public async Task Hostile_model_lists_are_bounded_skipped_or_refused_and_never_break_the_catalog()
    {
        var simulator = await SharedSimulator.GetAsync();
        const string slug = "test"; // so a listed "multi" collides with the catalog's test/multi
        simulator.Models.Set(slug, "kept");
        await using var gateway = await StartAsync(simulator, slug);
        using var client = gateway.CreateGatewayClient();
        // The test catalog's own test/… models, which discovery leaves alone.
        var catalogModels = gateway.Services.GetRequiredService<ModelCatalog>().Built.Models.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        try
        {
            async Task<List<string>> AfterPollAsync(byte[] body)
            {
                simulator.Models.SetRaw(slug, 200, body);
                await PollAsync(gateway);
                using var web = await client.GetAsync("/web/catalog");
                Assert.Equal(HttpStatusCode.OK, web.StatusCode);
                var ids = (await ModelsAsync(client)).Select(m => m!["id"]!.GetValue<string>()).ToList();
                return [.. ids.Where(id => id.StartsWith("test/", StringComparison.Ordinal) && !catalogModels.Contains(id)).Order(StringComparer.Ordinal)];
            }

            // Refused whole: the last good list stays.
            Assert.Equal(["test/kept"], await AfterPollAsync(new byte[8 * 1024 * 1024]));
            Assert.Equal(["test/kept"], await AfterPollAsync(Encoding.UTF8.GetBytes("{\"data\":[" + new string(' ', 6 * 1024 * 1024) + "]}")));
            Assert.Equal(["test/kept"], await AfterPollAsync("<html>Bad gateway</html>"u8.ToArray()));
            Assert.Equal(["test/kept"], await AfterPollAsync("{\"data\":{\"id\":\"x\"}}"u8.ToArray()));
            Assert.Equal(["test/kept"], await AfterPollAsync("[{\"id\":\"x\"}]"u8.ToArray()));
            Assert.Equal(["test/kept"], await AfterPollAsync(Encoding.UTF8.GetBytes(new string('[', 100_000))));

            // Taken entry by entry: wrong types skipped, names mapped, duplicates and colliding ids served once.
            var names = """
                {"object":"list","data":[1,"x",null,{"id":5},{"id":["a"]},{"noid":true},{"id":""},{"id":" padded"},{"id":"ctl\u0001"},
                 {"id":"lone\ud800"},{"id":"a:b"},{"id":"A:B"},{"id":"a:b"},{"id":"with space"},{"id":"ünïcødé-7b"},{"id":"../etc/passwd"},
                 {"id":".."},{"id":"::"},{"id":"multi"},
                 {"id":"ok","max_model_len":"big"},{"id":"meta-ctx","meta":{"n_ctx_train":4096}},{"id":"neg","max_model_len":-5}]}
                """;
            Assert.Equal(
                ["test/-n-c-d--7b", "test/..-etc-passwd", "test/a-b", "test/meta-ctx", "test/neg", "test/ok", "test/with-space"],
                await AfterPollAsync(Encoding.UTF8.GetBytes(names)));
            var models = await ModelsAsync(client);
            Assert.Equal("A:B", (await UpstreamOfAsync(client, "test/a-b"))); // ordinal order: "A:B" sorts before "a:b"
            Assert.Equal(4096, models.Single(m => m!["id"]!.GetValue<string>() == "test/meta-ctx")!["context_length"]!.GetValue<int>());
            Assert.Equal(8192, models.Single(m => m!["id"]!.GetValue<string>() == "test/neg")!["context_length"]!.GetValue<int>());
            // "multi" would be test/multi, the catalog's: the catalog's model keeps its three endpoints.
            using (var multi = await client.GetAsync("/api/v1/models/test/multi/endpoints"))
            {
                Assert.Equal(3, (await multi.JsonAsync())["data"]!["endpoints"]!.AsArray().Count);
            }

            // A hundred thousand entries: the first thousand are taken.
            var many = new StringBuilder("{\"data\":[");
            for (var i = 0; i < 100_000; i++)
            {
                many.Append(i == 0 ? "" : ",").Append("{\"id\":\"m").Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append("\"}");
            }
            var taken = await AfterPollAsync(Encoding.UTF8.GetBytes(many.Append("]}").ToString()));
            Assert.Equal(ModelListParser.MaxModels, taken.Count);
            Assert.Equal("test/m000000", taken[0]);
        }
        finally
        {
            simulator.Models.Reset(slug);
        }
    }

    private static async Task<string> UpstreamOfAsync(HttpClient client, string id)
    {
        var body = ChatRequests.Body(id);
        using var response = await client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var simulator = await SharedSimulator.GetAsync();
        var upstream = await simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5));
        return JsonNode.Parse(upstream.Body)!["model"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_request_in_flight_during_a_swap_completes_on_the_endpoint_it_was_routed_to()
    {
        var simulator = await SharedSimulator.GetAsync();
        simulator.Models.Set("disc-flight", "slow");
        await using var gateway = await StartAsync(simulator, "disc-flight");
        using var client = gateway.CreateGatewayClient();

        var body = ChatRequests.Body("disc-flight/slow", new JsonObject { ["latency_ms"] = 1500 });
        var pending = client.PostChatAsync(body);
        await simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5));

        simulator.Models.Set("disc-flight", "other");
        await PollAsync(gateway);
        Assert.Equal(["disc-flight/other"], await IdsAsync(client, "disc-flight/"));

        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("disc-flight/slow", json["model"]!.GetValue<string>());
        Assert.Equal(0m, json["usage"]!["cost"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("Switchboard:Discovery:Interval", "00:00:00.500", "Switchboard:Discovery: Interval must be between 1 second and 1 day")]
    [InlineData("Switchboard:Discovery:Timeout", "00:00:00", "Switchboard:Discovery: Interval must be between 1 second and 1 day")]
    [InlineData("Switchboard:Providers:claude:Discovery", "true", "provider 'claude': discovery reads an OpenAI-compatible GET /models")]
    public async Task Invalid_discovery_settings_stop_start_up_naming_the_setting(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { [key] = value });
        });

        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(validation.Failures, f => f.Contains(named, StringComparison.Ordinal));
    }
}
