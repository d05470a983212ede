using System.Globalization;

namespace Switchboard.Catalog.Import;

/// <summary>
/// Merges an OpenRouter <c>/models</c> export into a catalog: every text model becomes (or gains) an endpoint on
/// the <c>openrouter</c> provider, priced as the export lists it, so OpenRouter serves as one more upstream.
/// Models already in the catalog keep their own endpoints and metadata.
/// </summary>
internal static class OpenRouterImporter
{
    public const string ProviderSlug = "openrouter";

    public static (int Added, int Extended, int Skipped) Merge(CatalogFile catalog, OpenRouterExport export)
    {
        if (!catalog.Providers.Any(p => p.Slug == ProviderSlug))
        {
            catalog.Providers.Add(new CatalogFileProvider
            {
                Slug = ProviderSlug,
                Name = "OpenRouter",
                BaseUrl = "https://openrouter.ai/api/v1",
                Protocol = "openai",
                ApiKeyEnv = "OPENROUTER_API_KEY",
                Headquarters = "US",
                Datacenters = ["US"],
                PrivacyPolicyUrl = "https://openrouter.ai/privacy",
                TermsOfServiceUrl = "https://openrouter.ai/terms",
                StatusPageUrl = "https://status.openrouter.ai",
            });
        }

        int added = 0, extended = 0, skipped = 0;
        var byId = catalog.Models.Where(m => m.Id is not null).ToDictionary(m => m.Id!, StringComparer.OrdinalIgnoreCase);
        foreach (var source in export.Data)
        {
            if (source.Id is null || source.Id.Contains(':', StringComparison.Ordinal) || !source.Id.Contains('/', StringComparison.Ordinal)
                || source.Architecture?.OutputModalities?.Contains("text") == false
                || ToPerMillion(source.Pricing?.Prompt) is not { } prompt || ToPerMillion(source.Pricing?.Completion) is not { } completion)
            {
                skipped++; // variants, routers with variable prices (-1) and non-text models
                continue;
            }
            var endpoint = new CatalogFileEndpoint
            {
                Provider = ProviderSlug,
                UpstreamModel = source.Id,
                ContextLength = source.TopProvider?.ContextLength ?? source.ContextLength,
                MaxCompletionTokens = source.TopProvider?.MaxCompletionTokens,
                Pricing = new CatalogFilePricing
                {
                    Prompt = prompt,
                    Completion = completion,
                    Request = ToPerRequest(source.Pricing?.Request),
                    InputCacheRead = ToPerMillion(source.Pricing?.InputCacheRead),
                    InputCacheWrite = ToPerMillion(source.Pricing?.InputCacheWrite),
                },
                SupportedParameters = source.SupportedParameters ?? [],
            };
            if (byId.TryGetValue(source.Id, out var existing))
            {
                existing.Endpoints.RemoveAll(e => e.Provider == ProviderSlug);
                existing.Endpoints.Add(endpoint);
                extended++;
                continue;
            }
            var model = new CatalogFileModel
            {
                Id = source.Id,
                CanonicalSlug = source.CanonicalSlug,
                HuggingFaceId = string.IsNullOrEmpty(source.HuggingFaceId) ? null : source.HuggingFaceId,
                Name = source.Name ?? source.Id,
                Created = source.Created > 0 ? DateTimeOffset.FromUnixTimeSeconds(source.Created).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                Description = source.Description,
                ContextLength = source.ContextLength,
                InputModalities = source.Architecture?.InputModalities,
                OutputModalities = source.Architecture?.OutputModalities,
                Tokenizer = source.Architecture?.Tokenizer,
                InstructType = source.Architecture?.InstructType,
                Endpoints = [endpoint],
            };
            catalog.Models.Add(model);
            byId[source.Id] = model;
            added++;
        }
        return (added, extended, skipped);
    }

    /// <summary>USD per token (a string) to USD per million tokens; null for absent or negative (variable) prices.</summary>
    private static decimal? ToPerMillion(string? perToken) =>
        decimal.TryParse(perToken, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value * 1_000_000m : null;

    private static decimal? ToPerRequest(string? perRequest) =>
        decimal.TryParse(perRequest, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : null;
}
