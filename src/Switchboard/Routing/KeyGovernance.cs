using Switchboard.Api;
using Switchboard.Catalog;

namespace Switchboard.Routing;

/// <summary>
/// What an inference key may call (<c>allowed_models</c>, <c>allowed_providers</c> on the key; null is "every").
/// A request carries its key's rules (<see cref="Requests.ChatRequest.Governance"/>) into planning: a model the key
/// may not use is refused with 403 before anything is held or recorded, endpoints of other providers are never
/// candidates (<see cref="EndpointFilter"/>), and <c>openrouter/auto</c> chooses among allowed models only.
/// </summary>
/// <remarks>
/// A model is judged by its catalog id (after alias resolution, so an alias cannot slip past a rule) and, when the
/// request names a variant, also as <c>id:variant</c>: a pattern without a variant allows every variant of the models
/// it matches, and one ending in a variant (<c>*:free</c>) allows only that variant.
/// </remarks>
internal sealed record KeyGovernance(IReadOnlyList<string>? AllowedModels, IReadOnlyList<string>? AllowedProviders)
{
    public const string ModelsRule = "allowed_models";
    public const string ProvidersRule = "allowed_providers";

    /// <summary>The exclusion <see cref="EndpointFilter"/> names for an endpoint of a provider the key may not use.</summary>
    public const string ProvidersExclusion = "the key's allowed_providers";

    /// <summary>At most this many patterns or providers are named in a message; metadata carries them all.</summary>
    private const int Named = 10;

    /// <summary>The rules as stored on the key (comma-separated columns); null when the key has none.</summary>
    public static KeyGovernance? From(string? allowedModels, string? allowedProviders) =>
        allowedModels is null && allowedProviders is null ? null : new(KeyRuleColumn.Read(allowedModels), KeyRuleColumn.Read(allowedProviders));

    public bool AllowsModel(string catalogId, ModelVariant variant)
    {
        if (AllowedModels is not { } patterns || ModelPattern.MatchesAny(patterns, catalogId))
        {
            return true;
        }
        return variant != ModelVariant.None && ModelPattern.MatchesAny(patterns, $"{catalogId}:{Suffix(variant)}");
    }

    public bool AllowsProvider(ProviderInfo provider)
    {
        if (AllowedProviders is not { } slugs)
        {
            return true;
        }
        for (var i = 0; i < slugs.Count; i++) // no LINQ: runs once per endpoint
        {
            if (string.Equals(slugs[i], provider.Slug, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The 403 for a model the key may not use, in the words the caller asked with.</summary>
    public ApiError ModelRefusal(string catalogId, ModelVariant variant, string param)
    {
        var id = variant == ModelVariant.None ? catalogId : $"{catalogId}:{Suffix(variant)}";
        return new ApiError(StatusCodes.Status403Forbidden,
            $"This key may not use '{id}': its allowed_models are {List(AllowedModels!)}.",
            new ErrorMetadata { ErrorType = "key_model_not_allowed", Rule = ModelsRule, Param = param, Model = id, Allowed = AllowedModels });
    }

    /// <summary>
    /// Why <c>openrouter/auto</c> found no candidate, when the key's rules are why: some candidate is a model the key
    /// may not use, or no candidate it may use has an endpoint of an allowed provider. Null when the request's own
    /// needs ruled them out.
    /// </summary>
    public ApiError? AutoRefusal(IReadOnlyList<CatalogModel> candidates, ModelVariant variant, string param)
    {
        var allowed = candidates.Where(m => AllowsModel(m.Id, variant)).ToList();
        if (AllowedModels is not null && allowed.Count < candidates.Count)
        {
            return new ApiError(StatusCodes.Status403Forbidden,
                $"openrouter/auto has no candidate this key may use for this request: its allowed_models are {List(AllowedModels)}.",
                new ErrorMetadata { ErrorType = "key_model_not_allowed", Rule = ModelsRule, Param = param, Model = AutoRouter.Id, Allowed = AllowedModels });
        }
        if (AllowedProviders is not null && !allowed.Any(m => m.Endpoints.Any(e => AllowsProvider(e.Provider))))
        {
            return new ApiError(StatusCodes.Status403Forbidden,
                $"openrouter/auto has no candidate served by a provider this key may use: its allowed_providers are {List(AllowedProviders)}.",
                new ErrorMetadata { ErrorType = "key_provider_not_allowed", Rule = ProvidersRule, Param = param, Model = AutoRouter.Id, Allowed = AllowedProviders });
        }
        return null;
    }

    /// <summary>The 403 when no endpoint is left once the key's providers are kept (and the request's own filters applied).</summary>
    public ApiError ProviderRefusal(IReadOnlyList<string> models, IReadOnlyCollection<string> exclusions)
    {
        var others = exclusions.Where(e => e != ProvidersExclusion).ToList();
        var also = others.Count == 0 ? "" : $" The request's own routing excluded more ({string.Join(", ", others)}).";
        return new ApiError(StatusCodes.Status403Forbidden,
            $"This key may not use any provider that serves {string.Join(", ", models)}: its allowed_providers are {List(AllowedProviders!)}.{also}",
            new ErrorMetadata
            {
                ErrorType = "key_provider_not_allowed", Rule = ProvidersRule, RequestedModels = models, Allowed = AllowedProviders, ExcludedBy = [.. exclusions],
            });
    }

    public static string Suffix(ModelVariant variant) => variant switch
    {
        ModelVariant.Free => "free",
        ModelVariant.Nitro => "nitro",
        ModelVariant.Floor => "floor",
        _ => "",
    };

    private static string List(IReadOnlyList<string> items) =>
        items.Count <= Named ? string.Join(", ", items) : $"{string.Join(", ", items.Take(Named))} and {items.Count - Named} more";
}
