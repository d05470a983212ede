using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAICompatible;

namespace Switchboard.Tests.Catalog;

/// <summary>The catalog file that ships with the gateway stays loadable and as broad as promised.</summary>
public sealed class ShippedCatalogTests
{
    private static ModelCatalog Load(SwitchboardOptions? options = null)
    {
        var errors = new List<string>();
        var file = CatalogFileReader.Read(CatalogFileReader.DefaultPath, errors);
        IProviderAdapter[] adapters = [new OpenAICompatibleAdapter(), new AnthropicAdapter(), new GeminiAdapter()];
        var builder = new CatalogBuilder(adapters.Select(a => a.Protocol).ToHashSet());
        var catalog = builder.Build(file, options ?? new SwitchboardOptions());
        Assert.Empty(errors);
        Assert.Empty(builder.Errors);
        return catalog;
    }

    [Fact]
    public void Shipped_catalog_loads_without_errors_and_covers_the_major_authors()
    {
        var catalog = Load();

        Assert.True(catalog.Models.Length >= 40, $"only {catalog.Models.Length} models");
        var authors = catalog.Models.Select(m => m.Author).ToHashSet();
        Assert.Superset(new HashSet<string> { "openai", "anthropic", "google", "meta-llama", "mistralai", "deepseek", "qwen", "x-ai" }, authors);
        Assert.True(catalog.Models.Count(m => m.Endpoints.Select(e => e.Pricing).Distinct().Count() >= 2) >= 8,
            "several models must be served by two or more providers at different prices");
        Assert.All(catalog.Endpoints, e => Assert.True(e.Pricing.Prompt >= 0 && e.ContextLength > 0, e.Model.Id));
        Assert.Equal("anthropic", catalog.FindProvider("anthropic")!.Protocol);
        Assert.Equal("gemini", catalog.FindProvider("google-ai-studio")!.Protocol);
    }

    [Fact]
    public void Local_providers_are_off_until_enabled()
    {
        Assert.Null(Load().FindProvider("ollama"));

        var options = new SwitchboardOptions();
        options.Providers["ollama"] = new ProviderOptions { Enabled = true };
        var enabled = Load(options);

        Assert.True(enabled.FindProvider("ollama")!.ApiKeyOptional, "a local server needs no key");
        Assert.Contains(enabled.Endpoints, e => e.Provider.Slug == "ollama" && e.Pricing.IsFree);
    }
}
