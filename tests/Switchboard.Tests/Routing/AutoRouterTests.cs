using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

/// <summary>A gateway whose catalog has <c>openrouter/auto</c>'s test candidates, configured in their order.</summary>
public sealed class AutoRouterFixture : IAsyncLifetime
{
    public GatewayFactory Gateway { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Switchboard:CatalogPath"] = TestCatalog.AutoFilePath };
        for (var i = 0; i < TestCatalog.AutoCandidates.Length; i++)
        {
            settings[$"Switchboard:AutoRouter:Candidates:{i}"] = TestCatalog.AutoCandidates[i];
        }
        // A candidate the catalog does not have is skipped with a warning, never a start-up failure.
        settings[$"Switchboard:AutoRouter:Candidates:{TestCatalog.AutoCandidates.Length}"] = "gone/not-in-the-catalog";
        Gateway = await GatewayFactory.StartAsync(settings);
        Client = Gateway.CreateGatewayClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
    }
}

/// <summary>
/// <c>openrouter/auto</c> over real HTTP to the simulator: which candidate it chooses for what the request needs,
/// the preference (the default <c>balanced</c>, or <c>cost_tier</c>), the plugin's patterns and health; that the
/// response names the choice in every dialect; and that hostile plugin input is a 400, never a 500.
/// Candidates, best first, with blended prices: top 40 (text, image, file), text-only 10, no-tools 4, no-schema 3
/// (JSON mode but no structured outputs), small 1 (4,096-token context), unconfigured 0.2 (no credential).
/// </summary>
public sealed class AutoRouterTests : IClassFixture<AutoRouterFixture>
{
    private readonly AutoRouterFixture _fixture;

    public AutoRouterTests(AutoRouterFixture fixture)
    {
        _fixture = fixture;
        fixture.Gateway.ResetHealth();
    }

    private static JsonObject Auto(string? costTier = null, JsonArray? allowed = null, JsonArray? excluded = null, bool stream = false, string content = "Hello there")
    {
        var body = ChatRequests.Body("openrouter/auto", stream: stream, content: content);
        if (costTier is not null || allowed is not null || excluded is not null)
        {
            var plugin = new JsonObject { ["id"] = "auto-router" };
            if (costTier is not null)
            {
                plugin["cost_tier"] = costTier;
            }
            if (allowed is not null)
            {
                plugin["allowed_models"] = allowed.DeepClone();
            }
            if (excluded is not null)
            {
                plugin["excluded_models"] = excluded.DeepClone();
            }
            body["plugins"] = new JsonArray(new JsonObject { ["id"] = "web" }, plugin);
        }
        return body;
    }

    private static JsonArray Models(params string[] ids) => new([.. ids.Select(id => (JsonNode)JsonValue.Create(id)!)]);

    private async Task<string> ChosenAsync(JsonObject body)
    {
        using var response = await _fixture.Client.PostChatAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["model"]!.GetValue<string>();
    }

    [Theory]
    [InlineData("high", "auto/top")] // quality: the first eligible
    [InlineData("low", "auto/small")] // cost: the cheapest configured (the unconfigured one is cheaper, but has no credential)
    [InlineData("medium", "auto/no-tools")] // balanced: the first priced at most the median (1, 3, [4], 10, 40)
    [InlineData(null, "auto/no-tools")] // the operator's preference, balanced by default
    public async Task Plain_text_goes_to_the_candidate_the_preference_picks(string? costTier, string expected)
    {
        Assert.Equal(expected, await ChosenAsync(Auto(costTier)));
    }

    [Fact]
    public async Task Tools_skip_a_candidate_whose_endpoints_do_not_support_them()
    {
        var allowed = Models("auto/no-tools", "auto/no-schema");
        Assert.Equal("auto/no-tools", await ChosenAsync(Auto("high", allowed)));

        var withTools = Auto("high", allowed);
        withTools["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]""");
        withTools["tool_choice"] = "auto";
        Assert.Equal("auto/no-schema", await ChosenAsync(withTools));
    }

    [Fact]
    public async Task An_image_skips_a_text_only_candidate()
    {
        var allowed = Models("auto/text-only", "auto/no-tools");
        Assert.Equal("auto/text-only", await ChosenAsync(Auto("high", allowed)));

        var withImage = Auto("high", allowed);
        withImage["messages"] = JsonNode.Parse("""
            [{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]
            """);
        Assert.Equal("auto/no-tools", await ChosenAsync(withImage));
    }

    [Fact]
    public async Task A_pdf_needs_a_candidate_that_takes_files()
    {
        var withPdf = Auto("low", Models("auto/top", "auto/small"));
        withPdf["messages"] = JsonNode.Parse("""
            [{"role":"user","content":[{"type":"text","text":"Summarise"},{"type":"file","file":{"filename":"a.pdf","file_url":"https://example.com/a.pdf"}}]}]
            """);
        Assert.Equal("auto/top", await ChosenAsync(withPdf));
    }

    [Fact]
    public async Task A_long_prompt_or_a_large_max_tokens_skips_a_small_context_candidate()
    {
        var allowed = Models("auto/small", "auto/no-schema");
        Assert.Equal("auto/small", await ChosenAsync(Auto("low", allowed)));

        // About 6,000 tokens at four bytes a token: more than auto/small's 4,096.
        Assert.Equal("auto/no-schema", await ChosenAsync(Auto("low", allowed, content: new string('a', 24_000))));

        var bigOutput = Auto("low", allowed);
        bigOutput["max_tokens"] = 5000;
        Assert.Equal("auto/no-schema", await ChosenAsync(bigOutput));
    }

    [Fact]
    public async Task A_json_schema_needs_structured_outputs_and_json_mode_needs_response_format()
    {
        var allowed = Models("auto/no-schema", "auto/small");
        var jsonMode = Auto("high", allowed);
        jsonMode["response_format"] = JsonNode.Parse("""{"type":"json_object"}""");
        Assert.Equal("auto/no-schema", await ChosenAsync(jsonMode));

        var schema = Auto("high", allowed);
        schema["response_format"] = JsonNode.Parse("""{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}""");
        Assert.Equal("auto/small", await ChosenAsync(schema));
    }

    [Fact]
    public async Task Reasoning_needs_an_endpoint_that_supports_it()
    {
        var reasoning = Auto("high", Models("auto/no-schema", "auto/small"));
        reasoning["reasoning"] = new JsonObject { ["effort"] = "high" };
        Assert.Equal("auto/small", await ChosenAsync(reasoning));
    }

    [Fact]
    public async Task Provider_preferences_must_leave_the_candidate_an_endpoint()
    {
        var body = Auto("high");
        body["provider"] = new JsonObject { ["ignore"] = new JsonArray("alpha") };
        Assert.Equal("auto/text-only", await ChosenAsync(body));
    }

    [Fact]
    public async Task A_candidate_whose_circuit_is_open_is_skipped()
    {
        // Three failures (the test gateway's threshold) open auto/top's only endpoint.
        for (var i = 0; i < 3; i++)
        {
            using var failing = await _fixture.Client.PostChatAsync(ChatRequests.Body("auto/top", JsonNode.Parse("""{"providers":{"alpha":{"status":500}}}""")!.AsObject()));
            Assert.NotEqual(HttpStatusCode.OK, failing.StatusCode);
        }

        Assert.Equal("auto/text-only", await ChosenAsync(Auto("high")));
    }

    [Fact]
    public async Task A_candidate_without_a_credential_is_chosen_only_when_nothing_else_is_eligible()
    {
        Assert.Equal("auto/small", await ChosenAsync(Auto("low", Models("auto/unconfigured", "auto/small"))));

        using var response = await _fixture.Client.PostChatAsync(Auto("low", Models("auto/unconfigured")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("provider_not_configured", (await response.JsonAsync())["error"]!["metadata"]!["error_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_choice_fails_on_every_endpoint_the_next_eligible_candidate_answers()
    {
        var body = Auto("high", Models("auto/top", "auto/text-only"));
        body["simulator"] = JsonNode.Parse("""{"providers":{"alpha":{"status":503}}}""");
        Assert.Equal("auto/text-only", await ChosenAsync(body));
    }

    [Fact]
    public async Task Allowed_and_excluded_patterns_narrow_the_choice()
    {
        Assert.Equal("auto/no-tools", await ChosenAsync(Auto("high", Models("AUTO/NO-*"))));
        Assert.Equal("auto/no-schema", await ChosenAsync(Auto("high", Models("auto/no-*"), Models("*tools"))));
        Assert.Equal("auto/small", await ChosenAsync(Auto("high", Models("*/s*ll"))));
        Assert.Equal("auto/text-only", await ChosenAsync(Auto("high", excluded: Models("auto/top"))));
    }

    [Fact]
    public async Task Nothing_eligible_is_a_404_in_the_openai_shape()
    {
        using var response = await _fixture.Client.PostChatAsync(Auto(allowed: Models("openai/*")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(404, error["code"]!.GetValue<int>());
        Assert.Equal("No models match your request and model restrictions", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Auto_in_a_models_list_expands_in_place_and_an_empty_choice_falls_through_to_the_next_model()
    {
        var body = Auto(allowed: Models("openai/*"));
        body["models"] = new JsonArray("test/other");
        Assert.Equal("test/other", await ChosenAsync(body));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_response_names_the_chosen_model_streamed_or_not(bool stream)
    {
        var body = Auto("high", stream: stream);
        using var response = await _fixture.Client.PostStreamAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (!stream)
        {
            Assert.Equal("auto/top", (await response.JsonAsync())["model"]!.GetValue<string>());
            return;
        }
        var chunks = (await SseClient.ReadAllAsync(response)).Chunks();
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk => Assert.Equal("auto/top", chunk["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_generation_records_the_choice_and_the_router()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = Auto("high").ToContent() };
        request.Headers.Add("X-OpenRouter-Metadata", "enabled");
        using var response = await _fixture.Client.SendAsync(request);
        var completion = await response.JsonAsync();
        Assert.Equal("auto", completion["openrouter_metadata"]!["strategy"]!.GetValue<string>());
        Assert.Equal("openrouter/auto", completion["openrouter_metadata"]!["requested"]!.GetValue<string>());

        var generation = (await _fixture.Client.GetObjectAsync($"/api/v1/generation?id={completion["id"]!.GetValue<string>()}"))["data"]!;
        Assert.Equal("auto/top", generation["model"]!.GetValue<string>());
        Assert.Equal("openrouter/auto", generation["router"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_messages_api_gets_the_choice_and_its_404_in_anthropic_shape()
    {
        using var client = _fixture.Gateway.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", _fixture.Gateway.InferenceKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        var body = new JsonObject
        {
            ["model"] = "openrouter/auto",
            ["max_tokens"] = 64,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello" }),
            ["plugins"] = new JsonArray(new JsonObject { ["id"] = "auto-router", ["cost_tier"] = "low" }),
        };

        using var chosen = await client.PostAsync("/api/v1/messages", Json(body));
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        Assert.Equal("auto/small", (await chosen.JsonAsync())["model"]!.GetValue<string>());

        body["plugins"]![0]!["allowed_models"] = new JsonArray("nothing/*");
        using var none = await client.PostAsync("/api/v1/messages", Json(body));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        var error = await none.JsonAsync();
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("not_found_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Equal("No models match your request and model restrictions", error["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_responses_and_legacy_completions_apis_get_the_choice()
    {
        using var responses = await _fixture.Client.PostAsync("/api/v1/responses", Json(JsonNode.Parse("""
            {"model":"openrouter/auto","input":"Hello","plugins":[{"id":"auto-router","cost_tier":"high"}]}
            """)!));
        Assert.Equal(HttpStatusCode.OK, responses.StatusCode);
        Assert.Equal("auto/top", (await responses.JsonAsync())["model"]!.GetValue<string>());

        using var completions = await _fixture.Client.PostAsync("/api/v1/completions", Json(JsonNode.Parse("""
            {"model":"openrouter/auto","prompt":"Hello","plugins":[{"id":"auto-router","cost_tier":"low"}]}
            """)!));
        Assert.Equal(HttpStatusCode.OK, completions.StatusCode);
        Assert.Equal("auto/small", (await completions.JsonAsync())["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Embeddings_refuse_openrouter_auto_with_a_400()
    {
        using var response = await _fixture.Client.PostAsync("/api/v1/embeddings", Json(JsonNode.Parse("""{"model":"openrouter/auto","input":"hi"}""")!));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("openrouter/auto", (await response.JsonAsync())["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_models_list_has_openrouter_auto_with_variable_prices()
    {
        var list = await _fixture.Client.GetObjectAsync("/api/v1/models");
        var auto = list["data"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "openrouter/auto")!;
        Assert.Equal("-1", auto["pricing"]!["prompt"]!.GetValue<string>());
        Assert.Equal("-1", auto["pricing"]!["completion"]!.GetValue<string>());
        Assert.Contains("file", auto["architecture"]!["input_modalities"]!.AsArray().Select(m => m!.GetValue<string>()));

        var count = await _fixture.Client.GetObjectAsync("/api/v1/models/count");
        Assert.Equal(list["data"]!.AsArray().Count, count["data"]!["count"]!.GetValue<int>());
        var one = await _fixture.Client.GetObjectAsync("/api/v1/model/openrouter/auto");
        Assert.Equal("openrouter/auto", one["data"]!["id"]!.GetValue<string>());
    }

    public static TheoryData<string> HostilePlugins() => new()
    {
        """[{"id":"auto-router","allowed_models":5}]""",
        """[{"id":"auto-router","allowed_models":[null]}]""",
        """[{"id":"auto-router","excluded_models":{"a":1}}]""",
        """[{"id":"auto-router","allowed_models":[""]}]""",
        """[{"id":"auto-router","cost_tier":"cheap"}]""",
        """[{"id":"auto-router","cost_tier":7}]""",
        "[{\"id\":\"auto-router\",\"allowed_models\":[" + string.Join(",", Enumerable.Repeat("\"a/*\"", 101)) + "]}]",
        "[{\"id\":\"auto-router\",\"allowed_models\":[\"" + new string('x', 100_000) + "\"]}]",
    };

    [Theory]
    [MemberData(nameof(HostilePlugins))]
    public async Task A_malformed_auto_router_plugin_is_a_400_naming_the_field(string plugins)
    {
        var body = Auto();
        body["plugins"] = JsonNode.Parse(plugins);

        using var response = await _fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("plugins[0].", (await response.JsonAsync())["error"]!["metadata"]!["param"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""5""")]
    [InlineData("""[5, null, "web", {"id": 3}, {"id": "web", "allowed_models": 5}]""")]
    public async Task Plugins_the_gateway_does_not_run_are_left_alone(string plugins)
    {
        var body = Auto();
        body["plugins"] = JsonNode.Parse(plugins);
        Assert.Equal("auto/no-tools", await ChosenAsync(body)); // the operator's balanced preference, unnarrowed
    }

    [Fact]
    public async Task Patterns_full_of_stars_match_quickly()
    {
        var stars = string.Concat(Enumerable.Repeat("*a", 99)) + "*";
        var patterns = Models([.. Enumerable.Repeat(stars, 99).Append("auto/top")]);
        var watch = Stopwatch.StartNew();

        Assert.Equal("auto/top", await ChosenAsync(Auto("high", patterns, Models([.. Enumerable.Repeat(stars, 100)]))));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
