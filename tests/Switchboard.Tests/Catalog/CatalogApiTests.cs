using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Catalog;

[Collection(GatewayCollection.Name)]
public sealed class CatalogApiTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("/api/v1/models")]
    [InlineData("/v1/models")]
    public async Task Models_are_listed_in_openrouter_schema_with_per_token_price_strings(string path)
    {
        using var response = await fixture.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var models = (await response.JsonAsync())["data"]!.AsArray();
        var multi = models.Single(m => m!["id"]!.GetValue<string>() == "test/multi")!;
        Assert.Equal("Test: test/multi", multi["name"]!.GetValue<string>());
        Assert.Equal(32768, multi["context_length"]!.GetValue<int>());
        Assert.Equal("0.000001", multi["pricing"]!["prompt"]!.GetValue<string>());
        Assert.Equal("0.000002", multi["pricing"]!["completion"]!.GetValue<string>());
        Assert.Equal("text+image->text", multi["architecture"]!["modality"]!.GetValue<string>());
        Assert.Equal(["text", "image"], multi["architecture"]!["input_modalities"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(32768, multi["top_provider"]!["context_length"]!.GetValue<int>());
        Assert.Contains("tools", multi["supported_parameters"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("/api/v1/models/test/multi/endpoints", multi["links"]!["details"]!.GetValue<string>());
        Assert.True(multi.AsObject().ContainsKey("hugging_face_id"));
        Assert.Equal(1767225600, multi["created"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_model_list_is_one_page_with_openrouters_empty_values_for_what_the_catalog_does_not_know()
    {
        var list = await fixture.Client.GetObjectAsync("/api/v1/models");

        var models = list["data"]!.AsArray();
        Assert.Equal(models.Count, list["total_count"]!.GetValue<int>());
        Assert.True(list["links"]!.AsObject().ContainsKey("next"));
        Assert.Null(list["links"]!["next"]);
        var multi = models.Single(m => m!["id"]!.GetValue<string>() == "test/multi")!.AsObject();
        Assert.Empty(multi["default_parameters"]!.AsObject());
        Assert.True(multi.ContainsKey("supported_voices"));
        Assert.Null(multi["supported_voices"]);
        Assert.True(multi.ContainsKey("expiration_date"));
        Assert.Null(multi["expiration_date"]);
    }

    [Theory]
    [InlineData("/api/v1/model/test/multi")]
    [InlineData("/v1/model/test/multi")]
    [InlineData("/api/v1/model/test/multi:free")]
    public async Task One_model_is_read_at_the_path_openrouters_sdk_uses(string path)
    {
        var model = (await fixture.Client.GetObjectAsync(path))["data"]!;

        Assert.Equal("test/multi", model["id"]!.GetValue<string>());
        Assert.Equal("0.000001", model["pricing"]!["prompt"]!.GetValue<string>());
        Assert.Equal("/api/v1/models/test/multi/endpoints", model["links"]!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_in_the_error_shape()
    {
        var error = (await fixture.Client.GetObjectAsync("/api/v1/model/nobody/nothing", HttpStatusCode.NotFound))["error"]!;

        Assert.Equal(404, error["code"]!.GetValue<int>());
        Assert.Contains("nobody/nothing", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_say_which_tool_choice_values_they_honour()
    {
        var endpoints = (await fixture.Client.GetObjectAsync("/api/v1/models/test/multi/endpoints"))["data"]!["endpoints"]!.AsArray();

        var alpha = endpoints.Single(e => e!["tag"]!.GetValue<string>() == "alpha/fp8")!["supports_tool_choice"]!;
        var gamma = endpoints.Single(e => e!["tag"]!.GetValue<string>() == "gamma/fp16")!["supports_tool_choice"]!;
        Assert.All(new[] { "auto", "function", "none", "required" }, v => Assert.True(alpha[v]!.GetValue<bool>(), v));
        Assert.All(new[] { "auto", "function", "none", "required" }, v => Assert.False(gamma[v]!.GetValue<bool>(), v));
    }

    [Fact]
    public async Task The_users_model_list_holds_what_the_account_can_reach_priced_by_the_endpoints_it_may_use()
    {
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync($"models-user-{Guid.NewGuid():n}", 10m);
        using var manager = fixture.Gateway.CreateGatewayClient(account.ManagementKey);
        using var caller = fixture.Gateway.CreateGatewayClient((await manager.CreateKeyAsync(new { name = "models" })).Key);
        using var anonymous = fixture.Gateway.CreateAnonymousClient();
        await anonymous.GetObjectAsync("/api/v1/models/user", HttpStatusCode.Unauthorized);

        var before = await UserModelsAsync(caller);
        Assert.Equal(before.Count, (await caller.GetObjectAsync("/api/v1/models/user"))["total_count"]!.GetValue<int>());
        Assert.Contains("test/multi", before.Keys);
        Assert.DoesNotContain("test/unconfigured", before.Keys); // its only provider has no credential
        Assert.Equal("0.000001", before["test/mixed-keys"]["pricing"]!["prompt"]!.GetValue<string>()); // alpha, not the keyless nokey
        Assert.Equal("0.0000005", before["test/private"]["pricing"]!["prompt"]!.GetValue<string>()); // hoarder, the cheapest

        using (var patched = await manager.PatchAsJsonAsync("/web/settings", new { exclude_training_providers = true }))
        {
            await AccountClient.ReadObjectAsync(patched, HttpStatusCode.OK);
        }
        var after = await UserModelsAsync(caller);

        // hoarder trains on data, so the account's data policy leaves beta.
        Assert.Equal("0.000002", after["test/private"]["pricing"]!["prompt"]!.GetValue<string>());
        Assert.Equal(before.Count, after.Count);
        var all = (await fixture.Client.GetObjectAsync("/api/v1/models"))["data"]!.AsArray();
        Assert.Contains(all, m => m!["id"]!.GetValue<string>() == "test/unconfigured");
    }

    private static async Task<Dictionary<string, JsonNode>> UserModelsAsync(HttpClient caller) =>
        (await caller.GetObjectAsync("/api/v1/models/user"))["data"]!.AsArray().ToDictionary(m => m!["id"]!.GetValue<string>(), m => m!);

    [Fact]
    public async Task Models_can_be_filtered_by_supported_parameters()
    {
        using var response = await fixture.Client.GetAsync("/api/v1/models?supported_parameters=tools,seed");

        var ids = (await response.JsonAsync())["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("test/multi", ids);
        Assert.DoesNotContain("test/other", ids); // its endpoints list no parameters
    }

    [Fact]
    public async Task Model_endpoints_list_every_provider_with_tag_quantization_and_status()
    {
        using var response = await fixture.Client.GetAsync("/api/v1/models/test/multi/endpoints");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.JsonAsync())["data"]!;
        Assert.Equal("test/multi", data["id"]!.GetValue<string>());
        var endpoints = data["endpoints"]!.AsArray();
        Assert.Equal(["Alpha", "Beta", "Gamma"], endpoints.Select(e => e!["provider_name"]!.GetValue<string>()));
        var gamma = endpoints[2]!;
        Assert.Equal("gamma/fp16", gamma["tag"]!.GetValue<string>());
        Assert.Equal("fp16", gamma["quantization"]!.GetValue<string>());
        Assert.Equal("0.000003", gamma["pricing"]!["prompt"]!.GetValue<string>());
        Assert.Equal("Gamma | test/multi", gamma["name"]!.GetValue<string>());
        Assert.True(gamma.AsObject().ContainsKey("latency_last_30m"));
    }

    [Fact]
    public async Task Endpoint_figures_reflect_live_traffic()
    {
        fixture.Gateway.ResetHealth();
        var body = ChatRequests.Body("test/multi", new JsonObject { ["latency_ms"] = 30 });
        body["provider"] = new JsonObject { ["only"] = new JsonArray("beta") };
        using (var ok = await fixture.Client.PostChatAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var response = await fixture.Client.GetAsync("/api/v1/models/test/multi/endpoints");

        var beta = (await response.JsonAsync())["data"]!["endpoints"]!.AsArray().Single(e => e!["provider_name"]!.GetValue<string>() == "Beta")!;
        Assert.Equal(0, beta["status"]!.GetValue<int>());
        Assert.Equal(100, beta["uptime_last_5m"]!.GetValue<double>());
        // The simulator waits 30 ms with a timer that ticks in whole milliseconds, so it can wake a fraction early.
        Assert.True(beta["latency_last_30m"]!["p50"]!.GetValue<double>() >= 29, beta.ToJsonString());
    }

    [Fact]
    public async Task Unknown_model_endpoints_is_a_404_in_the_error_shape()
    {
        using var response = await fixture.Client.GetAsync("/api/v1/models/nobody/nothing/endpoints");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await response.JsonAsync())["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Providers_are_listed_with_policy_links()
    {
        using var response = await fixture.Client.GetAsync("/api/v1/providers");

        var providers = (await response.JsonAsync())["data"]!.AsArray();
        var alpha = providers.Single(p => p!["slug"]!.GetValue<string>() == "alpha")!;
        Assert.Equal("Alpha", alpha["name"]!.GetValue<string>());
        Assert.Equal("https://example.com/alpha/privacy", alpha["privacy_policy_url"]!.GetValue<string>());
        Assert.Equal("US", alpha["headquarters"]!.GetValue<string>());
    }

    [Fact]
    public async Task Model_count_matches_the_catalog()
    {
        using var list = await fixture.Client.GetAsync("/api/v1/models");
        using var count = await fixture.Client.GetAsync("/api/v1/models/count");

        Assert.Equal((await list.JsonAsync())["data"]!.AsArray().Count, (await count.JsonAsync())["data"]!["count"]!.GetValue<int>());
    }
}
