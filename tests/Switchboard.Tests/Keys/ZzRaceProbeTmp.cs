using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Keys;

public sealed class ZzRaceProbeTmp
{
    [Fact]
    public async Task Probe()
    {
        await using var gateway = await GatewayFactory.StartAsync();
        using var management = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var created = await management.CreateKeyAsync(new { name = "probe" });
        using var client = gateway.CreateGatewayClient(created.Key);
        decimal total = 0m;
        int genMisses = 0, usageMisses = 0;
        for (var i = 0; i < 300; i++)
        {
            using var response = await client.PostChatAsync(ChatRequests.Body("test/multi"));
            var json = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
            total += json["usage"]!["cost"]!.GetValue<decimal>();
            using var gen = await client.GetAsync($"/api/v1/generation?id={json["id"]!.GetValue<string>()}");
            if (gen.StatusCode != HttpStatusCode.OK) genMisses++;
            var usage = (await client.GetObjectAsync("/api/v1/key"))["data"]!["usage"]!.GetValue<decimal>();
            if (usage != total) usageMisses++;
        }
        Assert.Fail($"generation misses {genMisses}, usage misses {usageMisses}");
    }
}
