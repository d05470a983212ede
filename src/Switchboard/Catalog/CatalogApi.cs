using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Switchboard.Api;
using Switchboard.Health;
using Switchboard.Infrastructure;
using Switchboard.Keys;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Settings;

namespace Switchboard.Catalog;

/// <summary>
/// GET /models, /models/count, /models/user, /model/{author}/{slug}, /embeddings/models, /models/{author}/{slug}/endpoints
/// and /providers in OpenRouter's schema.
/// </summary>
internal static class CatalogApi
{
    private static readonly TimeSpan StatsWindow = TimeSpan.FromMinutes(30);

    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        // The unfiltered list, which SDKs and the web app ask for most, is the same bytes for the whole snapshot.
        api.MapGet("/models", (ModelCatalog catalog, AutoRouter auto, string? supported_parameters, string? output_modalities) =>
            supported_parameters is null && output_modalities is null
                ? Results.Bytes(ModelListCache.Get(catalog.Current, auto, static (c, a) => JsonSerializer.SerializeToUtf8Bytes(ListOf(c.Models, a, null, null), SwitchboardJsonContext.Api.ModelList)), "application/json; charset=utf-8")
                : Results.Json(ListOf(catalog.Models, auto, supported_parameters, output_modalities), SwitchboardJsonContext.Api.ModelList));

        api.MapGet("/models/count", (ModelCatalog catalog, AutoRouter auto, string? output_modalities) =>
            TypedResults.Json(new ModelCount(new ModelCountData(Filter(catalog, null, output_modalities).Count() + (ListsAuto(auto, null, output_modalities) ? 1 : 0))),
                SwitchboardJsonContext.Api.ModelCount));

        api.MapGet("/embeddings/models", (ModelCatalog catalog) =>
            TypedResults.Json(ToList(Filter(catalog, null, CatalogModalities.Embeddings).Select(m => ToDto(m, m.Endpoints))), SwitchboardJsonContext.Api.ModelList));

        api.MapGet("/models/user", UserModelsAsync).RequireKey(KeyRequirement.Any);

        api.MapGet("/models/retired", (ModelCatalog catalog) =>
            TypedResults.Json(new RetiredModelList([.. catalog.Retired.Select(r => new RetiredModelDto(r.Id, r.RetiredOn, r.Successor, r.Note))]),
                SwitchboardJsonContext.Api.RetiredModelList));

        // OpenRouter's SDK fetches one model here (models.get); the id may carry a variant suffix such as :free.
        api.MapGet("/model/{author}/{slug}", (string author, string slug, ModelCatalog catalog, AutoRouter auto) =>
            Find(catalog, $"{author}/{slug}") is { } model
                ? Results.Json(new ModelResponse(ToDto(model, model.Endpoints)), SwitchboardJsonContext.Api.ModelResponse)
                : AutoRouter.IsAuto($"{author}/{slug}") && auto.Listed
                    ? Results.Json(new ModelResponse(AutoDto(auto)), SwitchboardJsonContext.Api.ModelResponse)
                    : ModelNotFound(catalog, author, slug));

        api.MapGet("/models/{author}/{slug}/endpoints", (string author, string slug, ModelCatalog catalog, ProviderRegistry providers, EndpointHealthRegistry health) =>
            catalog.FindModel($"{author}/{slug}") is { } model
                ? Results.Json(new ModelEndpointsResponse(ToEndpointsDto(model, providers, health)), SwitchboardJsonContext.Api.ModelEndpointsResponse)
                : ModelNotFound(catalog, author, slug));

        api.MapGet("/providers", (ModelCatalog catalog) =>
            TypedResults.Json(new ProviderList(catalog.Providers.Select(ToDto).ToList()), SwitchboardJsonContext.Api.ProviderList));

        return api;
    }

    /// <summary>
    /// <c>GET /models/user</c>: the models the caller's account can reach, each priced by the endpoints it can use.
    /// An endpoint counts when its provider has a credential (the gateway's or the account's own key) and, when the
    /// account's data policy excludes providers that train on data, the provider does not.
    /// </summary>
    private static async Task<IResult> UserModelsAsync(
        HttpContext context, ModelCatalog catalog, ProviderRegistry registry, AccountProfiles profiles, AutoRouter auto, string? supported_parameters, string? output_modalities)
    {
        var profile = await profiles.GetAsync(context.CallerKey().AccountId, context.RequestAborted);
        var providers = profile.Providers(registry);
        var excludeCollecting = profile.Defaults.ExcludeDataCollectingProviders;
        var models = new List<ModelDto>();
        foreach (var model in Filter(catalog, supported_parameters, output_modalities))
        {
            var usable = model.Endpoints
                .Where(e => providers[e.Provider].IsConfigured && !(excludeCollecting && e.Provider.CollectsData))
                .ToList();
            if (usable.Count > 0)
            {
                models.Add(ToDto(model, usable));
            }
        }
        var reachable = auto.Candidates.Any(m => m.Endpoints.Any(e => providers[e.Provider].IsConfigured && !(excludeCollecting && e.Provider.CollectsData)));
        return Results.Json(ToList(reachable ? WithAuto(models, auto, supported_parameters, output_modalities) : models), SwitchboardJsonContext.Api.ModelList);
    }

    private static ModelList ListOf(ImmutableArray<CatalogModel> models, AutoRouter auto, string? supportedParameters, string? outputModalities) =>
        ToList(WithAuto(Filter(models, supportedParameters, outputModalities).Select(m => ToDto(m, m.Endpoints)), auto, supportedParameters, outputModalities));

    /// <summary>
    /// The listing with <c>openrouter/auto</c> in its place by id, when it is served and passes the filters. Its
    /// prices are OpenRouter's "-1" (variable: each request pays the chosen model's).
    /// </summary>
    private static IEnumerable<ModelDto> WithAuto(IEnumerable<ModelDto> models, AutoRouter auto, string? supportedParameters, string? outputModalities)
    {
        if (!ListsAuto(auto, supportedParameters, outputModalities))
        {
            return models;
        }
        return models.Append(AutoDto(auto)).OrderBy(m => m.Id, StringComparer.Ordinal);
    }

    private static bool ListsAuto(AutoRouter auto, string? supportedParameters, string? outputModalities) =>
        auto.Listed
        && CatalogModalities.Matches(auto.Model, outputModalities)
        && (string.IsNullOrWhiteSpace(supportedParameters)
            || supportedParameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(p => auto.SupportedParameters.Contains(p)));

    private static ModelDto AutoDto(AutoRouter auto) => new(
        auto.Model.Id,
        auto.Model.Id,
        HuggingFaceId: null,
        auto.Model.Name,
        auto.Model.Created,
        auto.Model.Description,
        auto.Model.ContextLength,
        Architecture(auto.Model),
        new PricingDto("-1", "-1", "0", Image: "0", WebSearch: "0", InternalReasoning: "-1", null, null),
        new TopProviderDto(auto.Model.ContextLength, null, IsModerated: false),
        PerRequestLimits: null,
        auto.SupportedParameters,
        KnowledgeCutoff: null,
        new ModelLinksDto($"/api/v1/models/{auto.Model.Id}/endpoints"),
        new DefaultParametersDto(),
        SupportedVoices: null,
        ExpirationDate: null);

    private static CatalogModel? Find(ModelCatalog catalog, string id) =>
        catalog.FindModel(id) ?? (RequestedModel.TryParse(id, out var requested) ? catalog.FindModel(requested.Id) : null);

    private static IResult ModelNotFound(ModelCatalog catalog, string author, string slug) =>
        catalog.FindRetired($"{author}/{slug}") is not null
            ? ApiResults.Error(UnknownModelError.For(catalog, $"{author}/{slug}", $"{author}/{slug}", "model", StatusCodes.Status404NotFound))
            : ApiResults.Error(ApiError.NotFound($"Model '{author}/{slug}' is not in the catalog.", "model_not_found"));

    private static ModelList ToList(IEnumerable<ModelDto> models)
    {
        var list = models.ToList();
        return new ModelList(list, list.Count, new ModelListLinks(Next: null));
    }

    /// <summary>Models by output modality (OpenRouter's default, <c>text</c>, leaves embedding models out), then by parameters.</summary>
    private static IEnumerable<CatalogModel> Filter(ModelCatalog catalog, string? supportedParameters, string? outputModalities) =>
        Filter(catalog.Models, supportedParameters, outputModalities);

    private static IEnumerable<CatalogModel> Filter(ImmutableArray<CatalogModel> all, string? supportedParameters, string? outputModalities)
    {
        var models = all.Where(m => CatalogModalities.Matches(m, outputModalities));
        if (string.IsNullOrWhiteSpace(supportedParameters))
        {
            return models;
        }
        var required = supportedParameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return models.Where(m => required.All(p => m.Endpoints.Any(e => e.SupportedParameters.Contains(p))));
    }

    /// <summary>A model as listed, from the endpoints the listing counts (all of them, or those the caller can use).</summary>
    private static ModelDto ToDto(CatalogModel model, IReadOnlyList<CatalogEndpoint> endpoints)
    {
        // Like OpenRouter, the model-level price and limits are those of the first (cheapest) endpoint.
        var top = endpoints[0];
        return new ModelDto(
            model.Id,
            model.CanonicalSlug ?? model.Id,
            model.HuggingFaceId,
            model.Name,
            model.Created,
            model.Description,
            model.ContextLength,
            Architecture(model),
            Price(top.Pricing),
            new TopProviderDto(top.ContextLength, top.MaxCompletionTokens, IsModerated: false),
            PerRequestLimits: null,
            [.. endpoints.SelectMany(e => e.SupportedParameters).Distinct().Order(StringComparer.Ordinal)],
            model.KnowledgeCutoff,
            new ModelLinksDto($"/api/v1/models/{model.Id}/endpoints"),
            new DefaultParametersDto(),
            SupportedVoices: null,
            model.Deprecation?.RetiresOn)
        {
            Aliases = model.Aliases.Count == 0 ? null : model.Aliases,
            Deprecation = model.Deprecation is { } d ? new DeprecationDto(d.Note, d.Announced, d.RetiresOn, d.Successor) : null,
            Source = model.Source is { } s ? new SourceDto(s.Name, s.Url, s.Retrieved) : null,
            Discovered = model.Discovered ? true : null,
        };
    }

    private static ModelEndpointsDto ToEndpointsDto(CatalogModel model, ProviderRegistry providers, EndpointHealthRegistry health) => new(
        model.Id,
        model.Name,
        model.Created,
        model.Description,
        Architecture(model),
        [.. model.Endpoints.Select(e => ToDto(e, providers[e.Provider], health))]);

    private static EndpointDto ToDto(CatalogEndpoint endpoint, ProviderRuntime provider, EndpointHealthRegistry health)
    {
        var stats = health[endpoint].Snapshot(StatsWindow);
        var status = health.State(endpoint, provider.IsConfigured, stats) switch
        {
            EndpointState.NotConfigured => -3,
            EndpointState.CircuitOpen => -2,
            EndpointState.Degraded => -1,
            _ => 0,
        };
        return new EndpointDto(
            $"{provider.DisplayName} | {endpoint.Model.Id}",
            endpoint.Model.Id,
            endpoint.Model.Name,
            endpoint.ContextLength,
            Price(endpoint.Pricing),
            provider.DisplayName,
            endpoint.Tag,
            endpoint.Quantization,
            endpoint.MaxCompletionTokens,
            MaxPromptTokens: null,
            [.. endpoint.SupportedParameters.Order(StringComparer.Ordinal)],
            status,
            stats.Uptime5m,
            stats.Uptime30m,
            stats.Uptime1h,
            stats.Uptime1d,
            stats.Latency,
            stats.Throughput,
            SupportsImplicitCaching: endpoint.Pricing.InputCacheRead is not null,
            endpoint.SupportedParameters.Contains("tool_choice") ? ToolChoiceSupportDto.All : ToolChoiceSupportDto.Nothing)
        {
            DataPolicy = endpoint.DataPolicy is { } p ? new DataPolicyDto(p.Training, p.RetainsPrompts, p.RetentionDays) : null,
        };
    }

    private static ProviderDto ToDto(ProviderInfo provider) => new(
        provider.Name, provider.Slug, provider.PrivacyPolicyUrl, provider.TermsOfServiceUrl, provider.StatusPageUrl, provider.Headquarters, provider.Datacenters);

    private static ArchitectureDto Architecture(CatalogModel model) => new(
        $"{string.Join('+', model.InputModalities)}->{string.Join('+', model.OutputModalities)}",
        model.InputModalities,
        model.OutputModalities,
        model.Tokenizer,
        model.InstructType);

    // internal_reasoning is the completion price unless the catalog says otherwise: OpenRouter's "0" there would
    // read as free reasoning.
    private static PricingDto Price(Pricing pricing) => new(
        PerToken(pricing.Prompt),
        PerToken(pricing.Completion),
        Format(pricing.Request),
        Image: Format(pricing.Image),
        WebSearch: "0",
        InternalReasoning: PerToken(pricing.InternalReasoning ?? pricing.Completion),
        pricing.InputCacheRead is { } read ? PerToken(read) : null,
        pricing.InputCacheWrite is { } write ? PerToken(write) : null)
    {
        ImageOutput = pricing.ImageOutput is { } imageOutput ? PerToken(imageOutput) : null,
        Tiers = pricing.Tiers.IsEmpty ? null : [.. pricing.Tiers.Select(t => new PriceTierDto(
            t.AbovePromptTokens,
            PerToken(t.Prices.Prompt),
            PerToken(t.Prices.Completion),
            t.Prices.InputCacheRead is { } read ? PerToken(read) : null,
            t.Prices.InputCacheWrite is { } write ? PerToken(write) : null))],
    };

    private static string PerToken(decimal perMillion) => Format(perMillion / 1_000_000m);

    // Plain decimal notation ("0.00000015"), never an exponent, as OpenRouter's price strings are.
    private static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
