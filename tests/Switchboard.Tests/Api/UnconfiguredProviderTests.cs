using System.Net;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Api;

[Collection(GatewayCollection.Name)]
public sealed class UnconfiguredProviderTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_model_whose_only_provider_has_no_credential_gets_an_error_naming_the_setting()
    {
        using var response = await fixture.Client.PostChatAsync(ChatRequests.Body("test/unconfigured"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Contains("SWITCHBOARD_TEST_NOKEY_API_KEY", error["message"]!.GetValue<string>());
        Assert.Contains("--demo", error["message"]!.GetValue<string>());
        Assert.Equal("provider_not_configured", error["metadata"]!["error_type"]!.GetValue<string>());
        Assert.Equal(["SWITCHBOARD_TEST_NOKEY_API_KEY"], error["metadata"]!["missing_settings"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Configured_providers_are_preferred_over_cheaper_unconfigured_ones()
    {
        using var response = await fixture.Client.PostChatAsync(ChatRequests.Body("test/mixed-keys"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Alpha", (await response.JsonAsync())["provider"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_no_credentials_at_all_the_gateway_starts_serves_the_catalog_and_names_the_missing_key()
    {
        // The shipped catalog, no provider keys: a fresh install.
        await using var gateway = await GatewayFactory.StartAsync(useTestCatalog: false);
        using var client = gateway.CreateGatewayClient();

        using var models = await client.GetAsync("/api/v1/models");
        using var response = await client.PostChatAsync(ChatRequests.Body("openai/gpt-4o-mini"));

        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.True((await models.JsonAsync())["data"]!.AsArray().Count >= 40);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("OPENAI_API_KEY", (await response.JsonAsync())["error"]!["message"]!.GetValue<string>());
    }
}
