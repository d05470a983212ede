using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

public sealed class RoutingTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    private async Task<string> ServedByAsync(JsonObject body)
    {
        using var response = await Fixture.Client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["provider"]!.GetValue<string>();
    }

    private static JsonObject Multi(JsonObject? provider = null, string model = "test/multi")
    {
        var body = ChatRequests.Body(model);
        if (provider is not null)
        {
            body["provider"] = provider;
        }
        return body;
    }

    [Fact]
    public async Task Floor_variant_always_picks_the_cheapest_endpoint()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("Alpha", await ServedByAsync(Multi(model: "test/multi:floor")));
        }
    }

    [Fact]
    public async Task Variant_suffix_is_dropped_from_the_response_model_except_free()
    {
        using var floor = await Fixture.Client.PostChatAsync(Multi(model: "test/multi:floor"));
        using var free = await Fixture.Client.PostChatAsync(Multi(model: "test/free:free"));

        Assert.Equal("test/multi", (await floor.JsonAsync())["model"]!.GetValue<string>());
        Assert.Equal("test/free:free", (await free.JsonAsync())["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Order_tries_providers_in_the_given_order()
    {
        Assert.Equal("Gamma", await ServedByAsync(Multi(new JsonObject { ["order"] = new JsonArray("gamma", "alpha") })));
        Assert.Equal("Beta", await ServedByAsync(Multi(new JsonObject { ["order"] = new JsonArray("Beta") })));
    }

    [Fact]
    public async Task Sort_by_price_ranks_cheapest_first_and_falls_back_in_price_order()
    {
        var body = Multi(new JsonObject { ["sort"] = "price" });
        body["simulator"] = JsonNode.Parse("""{"providers":{"alpha":{"status":503}}}""");

        Assert.Equal("Beta", await ServedByAsync(body));
    }

    [Fact]
    public async Task Sort_by_price_compares_a_tiered_endpoint_at_the_tier_of_the_prompts_estimate()
    {
        // test/long-context: alpha 1/2 USD per million up to 1,000 prompt tokens and 10/20 above; beta 3/6.
        var brief = Multi(new JsonObject { ["sort"] = "price" }, "test/long-context");
        var lengthy = ChatRequests.Body("test/long-context", content: string.Concat(Enumerable.Repeat("words ", 1_000)));
        lengthy["provider"] = new JsonObject { ["sort"] = "price" };

        Assert.Equal("Alpha", await ServedByAsync(brief));
        Assert.Equal("Beta", await ServedByAsync(lengthy)); // about 1,500 tokens at four bytes a token: alpha's upper tier
    }

    [Fact]
    public async Task Max_price_is_checked_at_the_tier_of_the_prompts_upper_bound()
    {
        // 2,000 bytes: estimated at about 520 tokens (alpha's base tier) but bounded at about 2,100 (its upper tier,
        // 10 USD per million prompt tokens), so a limit of 5 keeps the request off alpha.
        JsonObject Limited(string content)
        {
            var body = ChatRequests.Body("test/long-context", content: content);
            body["provider"] = new JsonObject { ["sort"] = "price", ["max_price"] = new JsonObject { ["prompt"] = 5, ["completion"] = 20 } };
            return body;
        }

        Assert.Equal("Alpha", await ServedByAsync(Limited("Hello")));
        Assert.Equal("Beta", await ServedByAsync(Limited(new string('y', 2_000))));
    }

    [Fact]
    public async Task Nitro_variant_and_throughput_sort_pick_the_fastest_measured_endpoint()
    {
        // Measure: gamma streams fast, alpha and beta slowly.
        foreach (var (provider, delay) in new[] { ("alpha", 40), ("beta", 25), ("gamma", 1) })
        {
            var warmup = ChatRequests.Body("test/multi", new JsonObject { ["tokens"] = 10, ["chunk_delay_ms"] = delay }, stream: true);
            warmup["provider"] = new JsonObject { ["only"] = new JsonArray(provider) };
            using var response = await Fixture.Client.PostStreamAsync(warmup);
            await SseClient.ReadAllAsync(response);
        }

        Assert.Equal("Gamma", await ServedByAsync(Multi(model: "test/multi:nitro")));
        Assert.Equal("Gamma", await ServedByAsync(Multi(new JsonObject { ["sort"] = "throughput" })));
    }

    [Fact]
    public async Task Latency_sort_picks_the_endpoint_with_the_lowest_time_to_first_token()
    {
        foreach (var (provider, latency) in new[] { ("alpha", 150), ("beta", 5), ("gamma", 80) })
        {
            var warmup = Multi(new JsonObject { ["only"] = new JsonArray(provider) });
            warmup["simulator"] = new JsonObject { ["latency_ms"] = latency };
            await ServedByAsync(warmup);
        }

        Assert.Equal("Beta", await ServedByAsync(Multi(new JsonObject { ["sort"] = "latency" })));
    }

    [Fact]
    public async Task Default_routing_picks_endpoints_at_random_weighted_by_inverse_square_of_price()
    {
        // alpha costs $3/M blended, beta $6/M: alpha should be first about 4/5 of the time (weights 1/9 : 1/36).
        const int requests = 200;
        var served = new Dictionary<string, int>();
        for (var i = 0; i < requests; i++)
        {
            var provider = await ServedByAsync(Multi(new JsonObject { ["only"] = new JsonArray("alpha", "beta") }));
            served[provider] = served.GetValueOrDefault(provider) + 1;
        }

        var alphaShare = served.GetValueOrDefault("Alpha") / (double)requests;
        Assert.InRange(alphaShare, 0.68, 0.92); // expected 0.80; the range is ±4 standard deviations
        Assert.True(served.GetValueOrDefault("Beta") > 0, "the dearer endpoint must still get some traffic");
    }

    public static TheoryData<string, string> Filters => new()
    {
        { """{"only":["beta"]}""", "Beta" },
        { """{"only":["gamma/fp16"]}""", "Gamma" },
        { """{"ignore":["alpha","gamma"]}""", "Beta" },
        { """{"quantizations":["bf16"]}""", "Beta" },
        { """{"max_price":{"prompt":1.5,"completion":10}}""", "Alpha" },
        { """{"max_price":{"prompt":5,"completion":5},"ignore":["alpha"]}""", "Beta" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Provider_filters_restrict_the_eligible_endpoints(string preferences, string expected)
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected, await ServedByAsync(Multi(JsonNode.Parse(preferences)!.AsObject())));
        }
    }

    [Fact]
    public async Task Data_collection_deny_excludes_providers_that_retain_prompts()
    {
        Assert.Equal("Hoarder", await ServedByAsync(Multi(new JsonObject { ["sort"] = "price" }, "test/private")));
        Assert.Equal("Beta", await ServedByAsync(Multi(new JsonObject { ["sort"] = "price", ["data_collection"] = "deny" }, "test/private")));
    }

    [Fact]
    public async Task Require_parameters_excludes_endpoints_that_do_not_support_a_requested_parameter()
    {
        var body = Multi(new JsonObject { ["order"] = new JsonArray("gamma", "beta"), ["require_parameters"] = true });
        body["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]""");

        Assert.Equal("Beta", await ServedByAsync(body));
    }

    [Fact]
    public async Task Max_tokens_above_an_endpoints_output_limit_skips_that_endpoint()
    {
        var body = Multi(new JsonObject { ["sort"] = "price" }, "test/capped");
        body["max_tokens"] = 500;

        Assert.Equal("Beta", await ServedByAsync(body));
    }

    [Fact]
    public async Task Free_variant_uses_only_zero_priced_endpoints()
    {
        var body = Multi(model: "test/free:free");
        body["simulator"] = JsonNode.Parse("""{"providers":{"local":{"status":503}}}""");

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(Fixture.Simulator.Requests.Snapshot(), r => r.Body.Contains(body.Marker()) && r.Provider == "alpha");
    }

    [Theory]
    [InlineData("""{"only":["nobody"]}""", "provider.only")]
    [InlineData("""{"quantizations":["int4"]}""", "provider.quantizations")]
    [InlineData("""{"max_price":{"prompt":0.1}}""", "provider.max_price")]
    [InlineData("""{"order":["gamma"],"allow_fallbacks":false,"only":["alpha"]}""", "provider.only")]
    public async Task No_endpoint_matching_the_constraints_is_a_404_that_names_them(string preferences, string named)
    {
        using var response = await Fixture.Client.PostChatAsync(Multi(JsonNode.Parse(preferences)!.AsObject()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(404, error["code"]!.GetValue<int>());
        Assert.Contains("No endpoints found for test/multi", error["message"]!.GetValue<string>());
        Assert.Contains(named, error["message"]!.GetValue<string>());
        Assert.Equal("no_endpoints", error["metadata"]!["error_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_skipped_while_its_circuit_is_open()
    {
        var failing = JsonNode.Parse("""{"providers":{"alpha":{"status":500}}}""")!.AsObject();
        for (var i = 0; i < 3; i++)
        {
            var body = Multi(new JsonObject { ["order"] = new JsonArray("alpha", "beta") });
            body["simulator"] = failing.DeepClone();
            Assert.Equal("Beta", await ServedByAsync(body));
        }

        var after = Multi(new JsonObject { ["order"] = new JsonArray("alpha", "beta") });
        Assert.Equal("Beta", await ServedByAsync(after));
        Assert.DoesNotContain(Fixture.Simulator.Requests.Snapshot(), r => r.Body.Contains(after.Marker()) && r.Provider == "alpha");

        using var endpoints = await Fixture.Client.GetAsync("/api/v1/models/test/multi/endpoints");
        var alpha = (await endpoints.JsonAsync())["data"]!["endpoints"]!.AsArray().Single(e => e!["provider_name"]!.GetValue<string>() == "Alpha")!;
        Assert.Equal(-2, alpha["status"]!.GetValue<int>());
        Assert.Equal(0, alpha["uptime_last_5m"]!.GetValue<double>());
    }
}
