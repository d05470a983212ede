using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

/// <summary><c>Switchboard:AutoRouter</c>: checked at start-up, and its switch.</summary>
public sealed class AutoRouterSettingsTests
{
    [Theory]
    [InlineData("Switchboard:AutoRouter:Preference", "fastest", "Switchboard:AutoRouter:Preference must be quality, balanced or cost")]
    [InlineData("Switchboard:AutoRouter:Candidates:0", "gpt-5", "Switchboard:AutoRouter:Candidates:0 must be a catalog model id")]
    [InlineData("Switchboard:AutoRouter:Candidates:0", "openai/gpt-5:free", "Switchboard:AutoRouter:Candidates:0 must be a catalog model id")]
    [InlineData("Switchboard:AutoRouter:Candidates:0", "openrouter/auto", "Switchboard:AutoRouter:Candidates:0 names openrouter/auto itself")]
    public async Task Invalid_settings_stop_start_up_with_an_error_naming_the_key(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { [key] = value });
        });

        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(validation.Failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Turned_off_it_is_refused_with_a_400_and_not_listed()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:CatalogPath"] = TestCatalog.AutoFilePath,
            ["Switchboard:AutoRouter:Enabled"] = "false",
            ["Switchboard:AutoRouter:Candidates:0"] = "auto/top",
        });
        using var client = gateway.CreateGatewayClient();

        using var response = await client.PostChatAsync(ChatRequests.Body("openrouter/auto"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Switchboard:AutoRouter:Enabled", (await response.JsonAsync())["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var models = await client.GetObjectAsync("/api/v1/models");
        Assert.DoesNotContain(models["data"]!.AsArray(), m => m!["id"]!.GetValue<string>() == "openrouter/auto");
    }

    [Fact]
    public async Task With_no_candidate_in_the_catalog_it_is_not_listed_and_every_request_is_a_404()
    {
        // The built-in candidates are real models, none of which the test catalog has.
        await using var gateway = await GatewayFactory.StartAsync();
        using var client = gateway.CreateGatewayClient();

        using var response = await client.PostChatAsync(ChatRequests.Body("openrouter/auto"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var models = await client.GetObjectAsync("/api/v1/models");
        Assert.DoesNotContain(models["data"]!.AsArray(), m => m!["id"]!.GetValue<string>() == "openrouter/auto");
    }
}
