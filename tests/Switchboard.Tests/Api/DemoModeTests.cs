using System.Net;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Api;

public sealed class DemoModeTests
{
    [Fact]
    public async Task Demo_mode_serves_every_catalog_model_from_the_built_in_simulator()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Demo"] = "true" }, useTestCatalog: false);
        using var client = gateway.CreateGatewayClient();

        foreach (var model in new[] { "openai/gpt-4o-mini", "anthropic/claude-sonnet-4.5", "google/gemini-2.5-flash", "meta-llama/llama-3.3-70b-instruct" })
        {
            using var response = await client.PostChatAsync(ChatRequests.Body(model));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await response.JsonAsync();
            Assert.Equal("Simulator", json["provider"]!.GetValue<string>());
            Assert.Equal(model, json["model"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(json["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
        }
    }
}

public sealed class CommandLineTests
{
    [Fact]
    public void The_bare_demo_switch_does_not_swallow_the_next_argument()
    {
        var args = Switchboard.Configuration.SwitchboardCommandLine.ExpandSwitches(["--demo", "--urls", "http://127.0.0.1:9000"]);

        Assert.Equal(["--Switchboard:Demo=true", "--urls", "http://127.0.0.1:9000"], args);
    }
}
