using Switchboard.Catalog;
using Switchboard.Requests;

namespace Switchboard.Routing;

/// <summary>
/// The hard filters of provider routing. Each exclusion is named after the request field that caused it.
/// Runs once per endpoint of every requested model, so it loops rather than allocating LINQ closures.
/// </summary>
internal static class EndpointFilter
{
    public static string? Exclusion(CatalogEndpoint endpoint, ChatRequest request, ModelVariant variant)
    {
        var preferences = request.Provider;
        // The key's rule first, so that an endpoint it forbids is always put down to it (the planner's 403).
        if (request.Governance is { } governance && !governance.AllowsProvider(endpoint.Provider))
        {
            return KeyGovernance.ProvidersExclusion;
        }
        if (variant == ModelVariant.Free && !endpoint.Pricing.IsFree)
        {
            return ":free (no free endpoint)";
        }
        if (preferences.Only is { } only && !MatchesAny(endpoint, only))
        {
            return "provider.only";
        }
        if (preferences.Ignore is { } ignore && MatchesAny(endpoint, ignore))
        {
            return "provider.ignore";
        }
        if (preferences.Quantizations is { } quantizations && !ContainsIgnoringCase(quantizations, endpoint.Quantization ?? "unknown"))
        {
            return "provider.quantizations";
        }
        if (endpoint.Provider.CollectsData && (preferences.DenyDataCollection || request.ExcludeDataCollectingProviders))
        {
            return preferences.DenyDataCollection ? "provider.data_collection" : "the account's data policy (Settings: exclude providers that train on data)";
        }
        if (preferences.MaxPrice is { } max && Exceeds(RoutePrices.Ceiling(endpoint, request), max))
        {
            return "provider.max_price";
        }
        if (preferences.RequireParameters && !SupportsAll(endpoint, request.Parameters))
        {
            return "provider.require_parameters";
        }
        if (request.LargestOutputLimit is { } maxTokens && endpoint.MaxCompletionTokens is { } limit && maxTokens > limit)
        {
            return "max_tokens (above the endpoint's output limit)";
        }
        if (preferences.Order is { } order && !preferences.AllowFallbacks && !MatchesAny(endpoint, order))
        {
            return "provider.order with allow_fallbacks: false";
        }
        return null;
    }

    private static bool Exceeds(Pricing pricing, MaxPrice max) =>
        pricing.Prompt > max.Prompt || pricing.Completion > max.Completion || pricing.Request > max.Request;

    /// <summary>A provider slug or display name matches every endpoint of it; <c>slug/quantization</c> matches one.</summary>
    public static bool Matches(CatalogEndpoint endpoint, string name) =>
        endpoint.Provider.IsNamed(name) || string.Equals(endpoint.Tag, name, StringComparison.OrdinalIgnoreCase);

    // Indexed loops: foreach over an IReadOnlyList boxes its enumerator, once per endpoint.
    private static bool MatchesAny(CatalogEndpoint endpoint, IReadOnlyList<string> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (Matches(endpoint, names[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool ContainsIgnoringCase(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static bool SupportsAll(CatalogEndpoint endpoint, RequestParameters parameters)
    {
        foreach (var parameter in parameters)
        {
            if (!endpoint.SupportedParameters.Contains(parameter))
            {
                return false;
            }
        }
        return true;
    }
}
