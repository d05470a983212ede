using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Catalog;

public sealed class CatalogConfigurationTests
{
    [Fact]
    public async Task Operators_add_models_and_providers_and_override_prices_through_configuration()
    {
        var simulator = await SharedSimulator.GetAsync();
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Providers:myvllm:Name"] = "My vLLM",
            ["Switchboard:Providers:myvllm:BaseUrl"] = simulator.ProviderBaseUrl("myvllm").ToString(),
            ["Switchboard:Models:acme/house-model:Name"] = "Acme: House Model",
            ["Switchboard:Models:acme/house-model:ContextLength"] = "8192",
            ["Switchboard:Models:acme/house-model:Endpoints:myvllm:UpstreamModel"] = "house-7b",
            ["Switchboard:Models:acme/house-model:Endpoints:myvllm:Pricing:Prompt"] = "0",
            ["Switchboard:Models:acme/house-model:Endpoints:myvllm:Pricing:Completion"] = "0",
            ["Switchboard:Models:test/multi:Endpoints:gamma:Pricing:Prompt"] = "0.05",
        });
        using var client = gateway.CreateGatewayClient();

        using var models = await client.GetAsync("/api/v1/models");
        var list = (await models.JsonAsync())["data"]!.AsArray();
        var house = list.Single(m => m!["id"]!.GetValue<string>() == "acme/house-model")!;
        Assert.Equal("Acme: House Model", house["name"]!.GetValue<string>());
        Assert.Equal("0", house["pricing"]!["prompt"]!.GetValue<string>());
        using var endpoints = await client.GetAsync("/api/v1/models/test/multi/endpoints");
        var gamma = (await endpoints.JsonAsync())["data"]!["endpoints"]!.AsArray().Single(e => e!["provider_name"]!.GetValue<string>() == "Gamma")!;
        Assert.Equal("0.00000005", gamma["pricing"]!["prompt"]!.GetValue<string>());
        Assert.Equal("0.000006", gamma["pricing"]!["completion"]!.GetValue<string>());

        var body = ChatRequests.Body("acme/house-model");
        using var response = await client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("My vLLM", (await response.JsonAsync())["provider"]!.GetValue<string>());
        var upstream = await simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5));
        Assert.Equal("house-7b", JsonNode.Parse(upstream.Body)!["model"]!.GetValue<string>());
        Assert.Null(upstream.Authorization);
    }

    [Theory]
    [InlineData("Switchboard:Providers:alpha:BaseUrl", "ftp://example.com", "Switchboard:Providers:alpha:BaseUrl")]
    [InlineData("Switchboard:Models:test/multi:Endpoints:nowhere:UpstreamModel", "x", "Switchboard:Models:test/multi:Endpoints:nowhere")]
    [InlineData("Switchboard:Providers:newhost:Name", "New Host", "Switchboard:Providers:newhost:BaseUrl is required")]
    [InlineData("Switchboard:Timeouts:StreamIdle", "-00:00:01", "Switchboard:Timeouts:StreamIdle")]
    [InlineData("Switchboard:Health:FailureThreshold", "0", "Switchboard:Health:FailureThreshold")]
    [InlineData("Switchboard:CatalogPath", "/nonexistent/catalog.json", "/nonexistent/catalog.json")]
    // Ids and names are stored in 200-character columns (the activity rollup, compare votes, default models).
    [InlineData("Switchboard:Models:test/mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm:Name", "Long", "at most 184 characters")]
    [InlineData("Switchboard:Providers:alpha:Name", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN", "provider 'alpha': the name is longer than 200 characters")]
    public async Task Invalid_settings_stop_start_up_with_an_error_naming_the_setting(string key, string value, string named)
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
