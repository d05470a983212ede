using Switchboard.Catalog;
using Switchboard.Providers;

namespace Switchboard.Web;

/// <summary>
/// <c>GET /web/catalog</c>: the catalog as the Models screen filters it, in one response. OpenRouter's
/// <c>/models</c> does not say which providers serve a model; this does, and prices each model at its cheapest
/// endpoint (USD per million tokens, as people compare them).
/// </summary>
internal static class WebCatalogApi
{
    public static IEndpointRouteBuilder MapWebCatalog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/web/catalog", (ModelCatalog catalog, ProviderRegistry providers) =>
            Api.ApiResults.Json(new WebCatalog(
                [.. catalog.Models.Where(m => m.Endpoints.Length > 0).Select(ToSummary)],
                [.. catalog.Providers.Select(p => new WebProvider(p.Slug, p.Name, providers[p].IsConfigured, p.CollectsData))])));
        return app;
    }

    private static WebModel ToSummary(CatalogModel model)
    {
        var cheapest = model.Endpoints.MinBy(e => e.Pricing.Blended)!;
        bool Supports(string parameter) => model.Endpoints.Any(e => e.SupportedParameters.Contains(parameter));
        return new WebModel(
            model.Id,
            model.Name,
            model.Description,
            model.Endpoints.Max(e => e.ContextLength is > 0 ? e.ContextLength : model.ContextLength),
            model.InputModalities,
            model.OutputModalities,
            cheapest.Pricing.Prompt,
            cheapest.Pricing.Completion,
            Supports("tools"),
            Supports("response_format") || Supports("structured_outputs"),
            Supports("reasoning") || Supports("include_reasoning"),
            [.. model.Endpoints.Select(e => e.Provider.Slug).Distinct()])
        {
            Aliases = model.Aliases,
            Deprecation = model.Deprecation?.Note,
            RetiresOn = model.Deprecation?.RetiresOn,
            Discovered = model.Discovered,
        };
    }
}

internal sealed record WebCatalog(IReadOnlyList<WebModel> Models, IReadOnlyList<WebProvider> Providers);

internal sealed record WebModel(
    string Id,
    string Name,
    string Description,
    int ContextLength,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    decimal PromptPerMillion,
    decimal CompletionPerMillion,
    bool SupportsTools,
    bool SupportsJson,
    bool SupportsReasoning,
    IReadOnlyList<string> Providers)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The deprecation notice of a model still served, shown on its page.</summary>
    public string? Deprecation { get; init; }
    public string? RetiresOn { get; init; }
    /// <summary>Not in the catalog: listed by its provider's <c>GET /models</c> (a local server) and served at price 0.</summary>
    public bool Discovered { get; init; }
}

/// <summary>A provider as the app lists it; <c>CollectsData</c>: it may keep or train on prompts (its data policy).</summary>
internal sealed record WebProvider(string Slug, string Name, bool Configured, bool CollectsData);
