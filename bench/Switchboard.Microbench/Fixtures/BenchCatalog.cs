using System.Collections.Frozen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Demo;
using Switchboard.Health;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Routing;

namespace Switchboard.Microbench.Fixtures;

/// <summary>
/// A synthetic catalog built in memory: the routed model <c>bench/chat</c> with a chosen number of endpoints spread
/// over OpenAI-compatible providers with varied prices, quantizations and measured speeds, beside 100 filler models
/// of 10 endpoints each, so lookups run against a catalog of realistic size. Every provider is keyless, so all are
/// configured.
/// </summary>
internal sealed class BenchCatalog : IDisposable
{
    public const string RoutedModel = "bench/chat";
    private static readonly string[] Quantizations = ["fp8", "bf16", "fp16", "int4"];
    private static readonly FrozenSet<string> SupportedParameters = FrozenSet.Create(StringComparer.Ordinal,
        "temperature", "top_p", "max_tokens", "stop", "seed", "tools", "tool_choice", "response_format", "reasoning");

    public BenchCatalog(int routedEndpoints)
    {
        var providers = Enumerable.Range(0, Math.Clamp(routedEndpoints, 4, 40)).Select(i => Provider($"p{i}", "openai")).ToList();
        var models = new List<CatalogModel>();
        var index = 0;
        models.Add(Model(RoutedModel, routedEndpoints, providers, ref index));
        for (var m = 0; m < 100; m++)
        {
            models.Add(Model($"filler/model-{m}", 10, providers, ref index));
        }
        Catalog = new ModelCatalog("2026-01-01", providers, models);

        var options = Options.Create(new SwitchboardOptions());
        Providers = new ProviderRegistry(Catalog, [new OpenAICompatibleAdapter(), new AnthropicAdapter(), new GeminiAdapter()],
            options, new ConfigurationBuilder().Build(), new DemoUpstream(options));
        Health = new EndpointHealthRegistry(Catalog, options, TimeProvider.System, new FleetHealthOutbox(options));
        foreach (var endpoint in Catalog.Endpoints)
        {
            // Measured speeds, so that throughput and latency sorts have something to order.
            Health[endpoint].RecordSuccess(TimeSpan.FromMilliseconds(150 + (endpoint.Index * 37 % 400)), 40 + (endpoint.Index * 13 % 120));
        }
        Planner = new RoutePlanner(Catalog, Health, new AutoRouter(Catalog, options, Health));
    }

    public ModelCatalog Catalog { get; }
    public ProviderRegistry Providers { get; }
    public EndpointHealthRegistry Health { get; }
    public RoutePlanner Planner { get; }

    public static ProviderInfo Provider(string slug, string protocol) => new()
    {
        Slug = slug,
        Name = $"Provider {slug.ToUpperInvariant()}",
        BaseUrl = new Uri($"http://127.0.0.1:1/{slug}/v1"),
        Protocol = protocol,
        ApiKeyOptional = true,
    };

    public static CatalogEndpoint Endpoint(int index, CatalogModel model, ProviderInfo provider) => new()
    {
        Index = index,
        Model = model,
        Provider = provider,
        UpstreamModel = $"{provider.Slug}/{model.Id.Replace('/', '-')}",
        ContextLength = 128_000,
        MaxCompletionTokens = 16_384,
        Quantization = Quantizations[index % Quantizations.Length],
        // Prices in USD per million tokens, spread so the price-weighted pick has real choices.
        Pricing = new Pricing(0.15m + (index % 17 * 0.05m), 0.60m + (index % 13 * 0.2m), InputCacheRead: 0.075m),
        SupportedParameters = SupportedParameters,
    };

    private static CatalogModel Model(string id, int endpoints, List<ProviderInfo> providers, ref int index)
    {
        var model = new CatalogModel { Id = id, Name = id, ContextLength = 128_000 };
        var list = new CatalogEndpoint[endpoints];
        for (var i = 0; i < endpoints; i++)
        {
            list[i] = Endpoint(index++, model, providers[i % providers.Count]);
        }
        model.Endpoints = [.. list];
        return model;
    }

    public void Dispose() => Providers.Dispose();
}
