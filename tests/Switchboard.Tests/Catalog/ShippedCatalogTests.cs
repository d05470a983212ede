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
    public void Every_built_in_openrouter_auto_candidate_is_a_served_current_model_of_the_shipped_catalog()
    {
        var catalog = Load();

        Assert.All(Switchboard.Routing.AutoRouterOptions.DefaultCandidates, id =>
        {
            var model = catalog.FindModel(id);
            Assert.True(model is { Deprecation: null, IsEmbedding: false }, $"{id} is not a served, current chat model");
            Assert.Equal(id, model!.Id);
        });
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
    public void Shipped_catalog_is_broad_sourced_and_dated()
    {
        var errors = new List<string>();
        var file = CatalogFileReader.Read(CatalogFileReader.DefaultPath, errors);
        var catalog = Load();

        Assert.True(catalog.Models.Count(m => !m.IsEmbedding) >= 300, $"only {catalog.Models.Count(m => !m.IsEmbedding)} chat models");
        Assert.True(file.Providers.Count >= 25, $"only {file.Providers.Count} providers");
        Assert.All(file.Providers, p => Assert.NotNull(p.DataPolicy));
        Assert.All(catalog.Models, m =>
        {
            Assert.NotNull(m.Source);
            Assert.False(string.IsNullOrEmpty(m.Source!.Url), m.Id);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", m.Source.Retrieved);
        });
        Assert.NotNull(catalog.FindProvider("openrouter"));
        Assert.Equal("https://openrouter.ai/api/v1", catalog.FindProvider("openrouter")!.BaseUrl.ToString().TrimEnd('/'));
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4")]
    [InlineData("openai/o1")]
    [InlineData("openai/o3-mini")]
    [InlineData("deepseek/deepseek-r1")]
    [InlineData("google/gemini-2.0-flash-001")]
    [InlineData("meta-llama/llama-3.1-405b-instruct")]
    [InlineData("moonshotai/kimi-k2")]
    [InlineData("mistralai/mistral-large")]
    [InlineData("cohere/command-r-plus")]
    [InlineData("openai/gpt-4o")]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("anthropic/claude-3.5-sonnet")]
    [InlineData("anthropic/claude-3-opus")]
    [InlineData("google/gemini-pro")]
    [InlineData("openai/gpt-4-turbo")]
    [InlineData("openai/gpt-3.5-turbo")]
    [InlineData("claude-sonnet-4-20250514")]
    [InlineData("claude-sonnet-4-5-20250929")]
    [InlineData("gpt-4o-2024-08-06")]
    [InlineData("gemini-2.5-flash")]
    [InlineData("~anthropic/claude-sonnet-latest")]
    [InlineData("~openai/gpt-latest")]
    [InlineData("~google/gemini-flash-latest")]
    public void Names_users_commonly_type_resolve_to_a_served_model_or_a_retirement_naming_its_successor(string name)
    {
        var catalog = Load();

        if (catalog.FindModel(name) is not null)
        {
            return;
        }
        var retired = catalog.FindRetired(name);
        Assert.True(retired is not null, $"{name} is neither served nor retired");
        Assert.NotNull(catalog.FindModel(retired!.Successor));
    }

    [Fact]
    public void Claude_Sonnet_4_is_retired_in_favour_of_a_served_Sonnet()
    {
        var catalog = Load();

        Assert.Null(catalog.FindModel("anthropic/claude-sonnet-4"));
        var retired = catalog.FindRetired("anthropic/claude-sonnet-4")!;
        Assert.Equal("2026-06-15", retired.RetiredOn);
        Assert.Equal("anthropic/claude-sonnet-4.5", catalog.FindModel(retired.Successor)!.Id);
    }

    [Theory]
    [InlineData("google/gemini-2.5-pro", "google-ai-studio", 200000)]
    [InlineData("anthropic/claude-sonnet-4.5", "anthropic", 200000)]
    [InlineData("qwen/qwen3-max", "alibaba", 32000)]
    [InlineData("qwen/qwen3-max", "openrouter", 128000)]
    public void Long_prompts_are_priced_by_tier_where_the_provider_charges_so(string id, string provider, long threshold)
    {
        var endpoint = Load().FindModel(id)!.Endpoints.Single(e => e.Provider.Slug == provider);

        var tier = Assert.Single(endpoint.Pricing.Tiers, t => t.AbovePromptTokens == threshold);
        Assert.True(tier.Prices.Prompt > endpoint.Pricing.Prompt, $"{id} on {provider}: the tier must cost more");
    }

    [Theory]
    [InlineData("openai/text-embedding-3-small", "openai", "text-embedding-3-small", "0.02", true)]
    [InlineData("openai/text-embedding-3-large", "openai", "text-embedding-3-large", "0.13", true)]
    [InlineData("openai/text-embedding-ada-002", "openai", "text-embedding-ada-002", "0.1", false)]
    [InlineData("google/gemini-embedding-001", "google-ai-studio", "gemini-embedding-001", "0.15", true)]
    [InlineData("mistralai/mistral-embed", "mistral", "mistral-embed", "0.1", false)]
    [InlineData("baai/bge-m3", "deepinfra", "BAAI/bge-m3", "0.01", false)]
    [InlineData("qwen/qwen3-embedding-8b", "deepinfra", "Qwen/Qwen3-Embedding-8B", "0.01", true)]
    public void Embedding_models_ship_with_their_providers_prices_and_input_only(string id, string provider, string upstream, string price, bool dimensions)
    {
        var model = Load().FindModel(id)!;

        Assert.True(model.IsEmbedding);
        Assert.Equal(["embeddings"], model.OutputModalities);
        var endpoint = Assert.Single(model.Endpoints);
        Assert.Equal(provider, endpoint.Provider.Slug);
        Assert.Equal(upstream, endpoint.UpstreamModel);
        Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), endpoint.Pricing.Prompt);
        Assert.Equal(0m, endpoint.Pricing.Completion);
        Assert.Equal(dimensions, endpoint.SupportedParameters.Contains("dimensions"));
        Assert.True(endpoint.ContextLength >= 2048);
    }

    [Fact]
    public void No_chat_model_is_an_embedding_model_and_no_embedding_model_is_served_by_Anthropics_API()
    {
        var catalog = Load();

        Assert.All(catalog.Models.Where(m => m.IsEmbedding), m => Assert.All(m.Endpoints, e => Assert.NotEqual("anthropic", e.Provider.Protocol)));
        Assert.All(catalog.Models.Where(m => m.Author == "anthropic"), m => Assert.False(m.IsEmbedding, m.Id));
    }

    [Fact]
    public void A_catalog_offering_an_embedding_model_through_Anthropics_API_is_refused()
    {
        var errors = new List<string>();
        var file = CatalogFileReader.Read(CatalogFileReader.DefaultPath, errors);
        file.Models.Add(new CatalogFileModel
        {
            Id = "anthropic/claude-embed",
            Name = "Not a thing",
            OutputModalities = ["embeddings"],
            Endpoints = [new CatalogFileEndpoint { Provider = "anthropic", UpstreamModel = "claude-embed", Pricing = new CatalogFilePricing { Prompt = 1m } }],
        });
        var builder = new CatalogBuilder(new HashSet<string> { "openai", "anthropic", "gemini" });
        builder.Build(file, new SwitchboardOptions());

        Assert.Contains(builder.Errors, e => e.Contains("anthropic/claude-embed", StringComparison.Ordinal) && e.Contains("no embeddings", StringComparison.Ordinal));
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
