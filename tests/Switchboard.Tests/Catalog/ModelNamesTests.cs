using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Catalog;

/// <summary>
/// The names users type resolve: aliases (a provider's own model name, <c>~author/family-latest</c>) route to the model
/// and responses name the catalog id; a retired model is refused with its successor named, in every dialect; a
/// deprecated model is still served and says so in the catalog.
/// </summary>
public sealed class ModelNamesTests
{
    private static string CatalogWithNames(Action<JsonObject>? change = null)
    {
        var catalog = JsonNode.Parse(File.ReadAllText(TestCatalog.FilePath))!.AsObject();
        catalog["sources"] = new JsonObject
        {
            ["tests"] = new JsonObject { ["url"] = "https://example.com/test-catalog", ["retrieved"] = "2026-12-01" },
        };
        var models = catalog["models"]!.AsArray();
        var multi = models.Single(m => m!["id"]!.GetValue<string>() == "test/multi")!.AsObject();
        multi["aliases"] = new JsonArray("multi-large-20260101", "~test/multi-latest");
        multi["source"] = "tests";
        var other = models.Single(m => m!["id"]!.GetValue<string>() == "test/other")!.AsObject();
        other["deprecation"] = new JsonObject
        {
            ["announced"] = "2026-11-01",
            ["retires_on"] = "2027-02-01",
            ["successor"] = "test/multi",
            ["note"] = "Test Other is being retired; move to Test Multi.",
        };
        catalog["retired"] = new JsonArray(new JsonObject
        {
            ["id"] = "test/ancient",
            ["aliases"] = new JsonArray("ancient-1-20240101"),
            ["retired_on"] = "2026-06-15",
            ["successor"] = "test/multi",
            ["source"] = "tests",
        });
        change?.Invoke(catalog);
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-names-{Guid.NewGuid():n}.json");
        File.WriteAllText(path, catalog.ToJsonString());
        return path;
    }

    private static Task<GatewayFactory> StartAsync(string catalogPath) =>
        GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:CatalogPath"] = catalogPath });

    [Theory]
    [InlineData("multi-large-20260101", false)]
    [InlineData("~test/multi-latest", true)]
    [InlineData("MULTI-LARGE-20260101", false)]
    [InlineData("~test/multi-latest:floor", false)]
    public async Task An_alias_routes_to_its_model_and_the_response_names_the_catalog_id(string name, bool stream)
    {
        await using var gateway = await StartAsync(CatalogWithNames());
        using var client = gateway.CreateGatewayClient();

        using var response = await client.PostChatAsync(ChatRequests.Body(name, stream: stream));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"model\":\"test/multi\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(name, text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("test/ancient")]
    [InlineData("ancient-1-20240101")]
    [InlineData("Test/Ancient:floor")]
    public async Task A_retired_model_is_refused_with_its_successor_named(string name)
    {
        await using var gateway = await StartAsync(CatalogWithNames());
        using var client = gateway.CreateGatewayClient();

        using var chat = await client.PostChatAsync(ChatRequests.Body(name));
        Assert.Equal(HttpStatusCode.BadRequest, chat.StatusCode);
        var error = (await chat.JsonAsync())["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Contains("retired on 2026-06-15", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("'test/multi'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("model_retired", error["metadata"]!["error_type"]!.GetValue<string>());
        Assert.Equal("test/multi", error["metadata"]!["successor"]!.GetValue<string>());

        // Anthropic's dialect, as Claude Code sees it: the same refusal, in Anthropic's error shape.
        var messages = new JsonObject
        {
            ["model"] = name,
            ["max_tokens"] = 16,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
        };
        using var anthropic = await client.PostChatAsync(messages, "/api/v1/messages");
        Assert.Equal(HttpStatusCode.BadRequest, anthropic.StatusCode);
        var body = await anthropic.JsonAsync();
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Contains("use 'test/multi' instead", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // The Responses API goes through the same planner.
        using var responses = await client.PostChatAsync(new JsonObject { ["model"] = name, ["input"] = "hi" }, "/api/v1/responses");
        Assert.Equal(HttpStatusCode.BadRequest, responses.StatusCode);
        Assert.Contains("'test/multi'", (await responses.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalog_lists_aliases_deprecations_sources_and_retired_models()
    {
        await using var gateway = await StartAsync(CatalogWithNames());
        using var client = gateway.CreateGatewayClient();

        var models = (await (await client.GetAsync("/api/v1/models")).JsonAsync())["data"]!.AsArray();
        var multi = models.Single(m => m!["id"]!.GetValue<string>() == "test/multi")!;
        Assert.Equal(["multi-large-20260101", "~test/multi-latest"], multi["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("https://example.com/test-catalog", multi["source"]!["url"]!.GetValue<string>());
        Assert.Equal("2026-12-01", multi["source"]!["retrieved"]!.GetValue<string>());
        var other = models.Single(m => m!["id"]!.GetValue<string>() == "test/other")!;
        Assert.Equal("2027-02-01", other["expiration_date"]!.GetValue<string>());
        Assert.Equal("test/multi", other["deprecation"]!["successor"]!.GetValue<string>());
        Assert.Contains("being retired", other["deprecation"]!["note"]!.GetValue<string>(), StringComparison.Ordinal);

        // Deprecated, still served.
        using var served = await client.PostChatAsync(ChatRequests.Body("test/other"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        var retired = (await (await client.GetAsync("/api/v1/models/retired")).JsonAsync())["data"]!.AsArray();
        var ancient = Assert.Single(retired)!;
        Assert.Equal("test/ancient", ancient["id"]!.GetValue<string>());
        Assert.Equal("test/multi", ancient["successor"]!.GetValue<string>());

        using var one = await client.GetAsync("/api/v1/model/test/ancient");
        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);
        Assert.Contains("use 'test/multi' instead", await one.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var byAlias = await client.GetAsync("/api/v1/model/~test/multi-latest");
        Assert.Equal("test/multi", (await byAlias.JsonAsync())["data"]!["id"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BrokenNames => new()
    {
        { """{"id":"test/other","aliases":["multi-large-20260101"]}""", "claimed by both" },
        { """{"id":"test/other","aliases":["test/multi"]}""", "claimed by both" },
        { """{"id":"test/other","aliases":["bad:name"]}""", "contain no ':'" },
        { """{"retired":{"id":"test/multi","retired_on":"2026-01-01","successor":"test/other"}}""", "claimed by both" },
        { """{"retired":{"id":"test/gone","retired_on":"2026-01-01","successor":"test/nowhere"}}""", "successor 'test/nowhere'" },
        { """{"retired":{"id":"test/gone","successor":"test/multi"}}""", "'retired_on'" },
        { """{"id":"test/other","source":"nowhere"}""", "source 'nowhere'" },
        { """{"id":"test/other","deprecation":{"retires_on":"2027-01-01"}}""", "deprecation.note" },
        { """{"id":"test/other","tiers":[{"above_prompt_tokens":1000,"prompt":1},{"above_prompt_tokens":500,"prompt":9}]}""", "'tiers' must ascend" },
        { """{"id":"test/other","tiers":[{"above_prompt_tokens":1000,"prompt":1}]}""", "'tiers' must ascend" },
        { """{"id":"test/other","tiers":[{"above_prompt_tokens":0,"prompt":9}]}""", "'tiers' must ascend" },
    };

    [Theory]
    [MemberData(nameof(BrokenNames))]
    public async Task A_catalog_whose_names_or_tiers_are_ambiguous_stops_start_up(string change, string named)
    {
        var edit = JsonNode.Parse(change)!.AsObject();
        var path = CatalogWithNames(catalog =>
        {
            if (edit["retired"] is { } retired)
            {
                catalog["retired"]!.AsArray().Add(retired.DeepClone());
                return;
            }
            var model = catalog["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == edit["id"]!.GetValue<string>())!.AsObject();
            foreach (var (key, value) in edit.Where(p => p.Key != "id"))
            {
                if (key == "tiers")
                {
                    // test/other's beta endpoint costs 5/5: a tier at 1 would make prices fall.
                    model["endpoints"]![0]!["pricing"]!["tiers"] = value!.DeepClone();
                    continue;
                }
                model[key] = value!.DeepClone();
            }
        });

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => { await using var gateway = await StartAsync(path); });

        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(validation.Failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tiered_prices_are_listed_per_endpoint()
    {
        var path = CatalogWithNames(catalog =>
        {
            var multi = catalog["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "test/multi")!;
            multi["endpoints"]![0]!["pricing"]!["tiers"] = JsonNode.Parse("""[{"above_prompt_tokens":200000,"prompt":2,"completion":4}]""");
            multi["endpoints"]![0]!["pricing"]!["internal_reasoning"] = 3;
        });
        await using var gateway = await StartAsync(path);
        using var client = gateway.CreateGatewayClient();

        var endpoints = (await (await client.GetAsync("/api/v1/models/test/multi/endpoints")).JsonAsync())["data"]!["endpoints"]!.AsArray();
        var alpha = endpoints.Single(e => e!["provider_name"]!.GetValue<string>() == "Alpha")!["pricing"]!;
        Assert.Equal("0.000001", alpha["prompt"]!.GetValue<string>());
        Assert.Equal("0.000003", alpha["internal_reasoning"]!.GetValue<string>());
        var tier = Assert.Single(alpha["tiers"]!.AsArray())!;
        Assert.Equal(200000, tier["above_prompt_tokens"]!.GetValue<long>());
        Assert.Equal("0.000002", tier["prompt"]!.GetValue<string>());
        Assert.Equal("0.000004", tier["completion"]!.GetValue<string>());
        var beta = endpoints.Single(e => e!["provider_name"]!.GetValue<string>() == "Beta")!["pricing"]!;
        Assert.Null(beta["tiers"]);
        Assert.Equal(beta["completion"]!.GetValue<string>(), beta["internal_reasoning"]!.GetValue<string>());
    }
}
