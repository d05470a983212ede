using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Catalog.Import;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Catalog;

public sealed class OpenRouterImportTests
{
    private const string Export = """
        {"data":[
          {"id":"test/multi","name":"ignored, the catalog keeps its own","context_length":1000,
           "architecture":{"input_modalities":["text"],"output_modalities":["text"]},
           "pricing":{"prompt":"0.0000015","completion":"0.0000025"},"top_provider":{"context_length":1000,"max_completion_tokens":500}},
          {"id":"nousresearch/hermes-4-70b","name":"Nous: Hermes 4 70B","created":1756236182,"context_length":131072,
           "architecture":{"input_modalities":["text"],"output_modalities":["text"],"tokenizer":"Llama3"},
           "pricing":{"prompt":"0.00000011","completion":"0.00000038","input_cache_read":"0.00000005"},
           "top_provider":{"context_length":131072,"max_completion_tokens":8192},"supported_parameters":["temperature","tools"]},
          {"id":"openrouter/auto","name":"Auto Router","pricing":{"prompt":"-1","completion":"-1"}},
          {"id":"some/model:free","name":"A variant","pricing":{"prompt":"0","completion":"0"}},
          {"id":"some/image-model","name":"Images","architecture":{"output_modalities":["image"]},"pricing":{"prompt":"0","completion":"0"}}
        ]}
        """;

    [Fact]
    public async Task An_openrouter_models_export_becomes_an_openrouter_upstream_for_each_text_model()
    {
        var directory = Directory.CreateTempSubdirectory("switchboard-import-");
        var exportPath = Path.Combine(directory.FullName, "models.json");
        var outPath = Path.Combine(directory.FullName, "catalog.json");
        await File.WriteAllTextAsync(exportPath, Export);

        Assert.True(CatalogImportCommand.TryRun(["catalog", "import-openrouter", exportPath, "--catalog", TestCatalog.FilePath, "--out", outPath], out var exitCode));
        Assert.Equal(0, exitCode);

        var simulator = await SharedSimulator.GetAsync();
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:CatalogPath"] = outPath,
            ["Switchboard:Providers:openrouter:BaseUrl"] = simulator.ProviderBaseUrl("openrouter").ToString(),
            ["Switchboard:Providers:openrouter:ApiKey"] = "sk-or-test",
        });
        using var client = gateway.CreateGatewayClient();

        using var endpoints = await client.GetAsync("/api/v1/models/nousresearch/hermes-4-70b/endpoints");
        var endpoint = (await endpoints.JsonAsync())["data"]!["endpoints"]![0]!;
        Assert.Equal("OpenRouter", endpoint["provider_name"]!.GetValue<string>());
        Assert.Equal("0.00000011", endpoint["pricing"]!["prompt"]!.GetValue<string>());
        Assert.Equal("0.00000005", endpoint["pricing"]!["input_cache_read"]!.GetValue<string>());
        Assert.Equal(8192, endpoint["max_completion_tokens"]!.GetValue<int>());

        using var multi = await client.GetAsync("/api/v1/models/test/multi/endpoints");
        var providers = (await multi.JsonAsync())["data"]!["endpoints"]!.AsArray().Select(e => e!["provider_name"]!.GetValue<string>()).ToList();
        Assert.Equal(["Alpha", "OpenRouter", "Beta", "Gamma"], providers); // cheapest first; catalog endpoints kept

        using var models = await client.GetAsync("/api/v1/models");
        var ids = (await models.JsonAsync())["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("openrouter/auto", ids);
        Assert.DoesNotContain("some/image-model", ids);

        var body = ChatRequests.Body("nousresearch/hermes-4-70b");
        using var response = await client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OpenRouter", (await response.JsonAsync())["provider"]!.GetValue<string>());
        var upstream = await simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5));
        Assert.Equal("nousresearch/hermes-4-70b", JsonNode.Parse(upstream.Body)!["model"]!.GetValue<string>());
        Assert.Equal("Bearer sk-or-test", upstream.Authorization);
    }
}
