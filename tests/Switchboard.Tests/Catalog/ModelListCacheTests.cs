using System.Net;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Catalog;

/// <summary>The unfiltered <c>GET /models</c> is serialised once per catalog snapshot and served as those bytes.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ModelListCacheTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_unfiltered_list_is_the_same_json_as_the_list_computed_for_its_default_filter()
    {
        using var first = await fixture.Client.GetAsync("/api/v1/models");
        using var again = await fixture.Client.GetAsync("/api/v1/models");
        using var computed = await fixture.Client.GetAsync("/api/v1/models?output_modalities=text");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json; charset=utf-8", first.Content.Headers.ContentType!.ToString());
        var body = await first.Content.ReadAsStringAsync();
        Assert.Equal(await computed.Content.ReadAsStringAsync(), body);
        Assert.Equal(body, await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_catalog_snapshot_in_the_process_lists_its_own_models()
    {
        await using var shipped = await GatewayFactory.StartAsync(useTestCatalog: false);
        using var shippedClient = shipped.CreateGatewayClient();

        // Interleaved, so each gateway asks after the other has filled the cache for its own snapshot.
        for (var i = 0; i < 2; i++)
        {
            var test = await fixture.Client.GetStringAsync("/api/v1/models");
            var real = await shippedClient.GetStringAsync("/api/v1/models");

            Assert.Contains("\"test/multi\"", test, StringComparison.Ordinal);
            Assert.DoesNotContain("\"openai/gpt-4o-mini\"", test, StringComparison.Ordinal);
            Assert.Contains("\"openai/gpt-4o-mini\"", real, StringComparison.Ordinal);
            Assert.DoesNotContain("\"test/multi\"", real, StringComparison.Ordinal);
        }
    }
}
