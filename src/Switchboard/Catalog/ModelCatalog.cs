using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Switchboard.Catalog;

/// <summary>
/// The immutable catalog snapshot: shipped data merged with operator configuration, disabled providers removed.
/// Built once at start-up; every lookup on the request path is a frozen-dictionary read.
/// </summary>
internal sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, CatalogModel> _modelsById;
    private readonly FrozenDictionary<string, ProviderInfo> _providersBySlug;

    public ModelCatalog(string updated, IEnumerable<ProviderInfo> providers, IEnumerable<CatalogModel> models)
    {
        Updated = updated;
        Providers = [.. providers.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        Models = [.. models.OrderBy(m => m.Id, StringComparer.Ordinal)];
        Endpoints = [.. Models.SelectMany(m => m.Endpoints).OrderBy(e => e.Index)];
        _providersBySlug = Providers.ToFrozenDictionary(p => p.Slug, StringComparer.OrdinalIgnoreCase);

        // Canonical slugs resolve too, so a dated id such as openai/gpt-4o-mini-2024-07-18 works.
        var byId = new Dictionary<string, CatalogModel>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in Models)
        {
            byId[model.Id] = model;
        }
        foreach (var model in Models)
        {
            if (model.CanonicalSlug is { } canonical)
            {
                byId.TryAdd(canonical, model);
            }
        }
        _modelsById = byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public string Updated { get; }
    public ImmutableArray<ProviderInfo> Providers { get; }
    public ImmutableArray<CatalogModel> Models { get; }

    /// <summary>Every enabled endpoint; <c>Endpoints[i].Index == i</c>.</summary>
    public ImmutableArray<CatalogEndpoint> Endpoints { get; }

    public CatalogModel? FindModel(string id) => _modelsById.GetValueOrDefault(id);

    public ProviderInfo? FindProvider(string slug) => _providersBySlug.GetValueOrDefault(slug);
}
