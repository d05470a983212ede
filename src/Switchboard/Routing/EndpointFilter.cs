using Switchboard.Catalog;
using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>The hard filters of provider routing. Each exclusion is named after the request field that caused it.</summary>
internal static class EndpointFilter
{
    public static string? Exclusion(CatalogEndpoint endpoint, ChatRequest request, ModelVariant variant)
    {
        var preferences = request.Provider;
        if (variant == ModelVariant.Free && !endpoint.Pricing.IsFree)
        {
            return ":free (no free endpoint)";
        }
        if (preferences.Only is { } only && !only.Any(name => Matches(endpoint, name)))
        {
            return "provider.only";
        }
        if (preferences.Ignore is { } ignore && ignore.Any(name => Matches(endpoint, name)))
        {
            return "provider.ignore";
        }
        if (preferences.Quantizations is { } quantizations
            && !quantizations.Contains(endpoint.Quantization ?? "unknown", StringComparer.OrdinalIgnoreCase))
        {
            return "provider.quantizations";
        }
        if (preferences.DenyDataCollection && endpoint.Provider.CollectsData)
        {
            return "provider.data_collection";
        }
        if (preferences.MaxPrice is { } max
            && (endpoint.Pricing.Prompt > max.Prompt || endpoint.Pricing.Completion > max.Completion || endpoint.Pricing.Request > max.Request))
        {
            return "provider.max_price";
        }
        if (preferences.RequireParameters && request.Parameters.Any(p => !endpoint.SupportedParameters.Contains(p)))
        {
            return "provider.require_parameters";
        }
        if (request.MaxTokens is { } maxTokens && endpoint.MaxCompletionTokens is { } limit && maxTokens > limit)
        {
            return "max_tokens (above the endpoint's output limit)";
        }
        if (preferences.Order is { } order && !preferences.AllowFallbacks && !order.Any(name => Matches(endpoint, name)))
        {
            return "provider.order with allow_fallbacks: false";
        }
        return null;
    }

    /// <summary>A provider slug or display name matches every endpoint of it; <c>slug/quantization</c> matches one.</summary>
    public static bool Matches(CatalogEndpoint endpoint, string name) =>
        endpoint.Provider.IsNamed(name) || string.Equals(endpoint.Tag, name, StringComparison.OrdinalIgnoreCase);
}
