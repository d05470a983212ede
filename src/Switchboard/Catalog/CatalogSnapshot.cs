using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Switchboard.Catalog;

/// <summary>
/// One immutable version of the catalog: shipped data merged with operator configuration, disabled providers removed,
/// plus whatever discovery found. Never changed once built; <see cref="ModelCatalog"/> swaps whole snapshots.
/// Every lookup is a frozen-dictionary read.
/// </summary>
internal sealed class CatalogSnapshot
{
    private readonly FrozenDictionary<string, CatalogModel> _modelsById;
    private readonly FrozenDictionary<string, ProviderInfo> _providersBySlug;
    private readonly FrozenDictionary<string, RetiredModel> _retired;
    private readonly ImmutableArray<(string Name, RetiredModel Model)> _retiredNames;

    public CatalogSnapshot(string updated, IEnumerable<ProviderInfo> providers, IEnumerable<CatalogModel> models, IEnumerable<(string Name, RetiredModel Model)>? retired = null)
    {
        Updated = updated;
        _retiredNames = [.. retired ?? []];
        Providers = [.. providers.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        Models = [.. models.OrderBy(m => m.Id, StringComparer.Ordinal)];
        Endpoints = [.. Models.SelectMany(m => m.Endpoints).OrderBy(e => e.Index)];
        _providersBySlug = Providers.ToFrozenDictionary(p => p.Slug, StringComparer.OrdinalIgnoreCase);

        // Canonical slugs and aliases resolve too, so a dated id such as openai/gpt-4o-mini-2024-07-18 or a provider's
        // own name such as claude-sonnet-4-5-20250929 works. Ids win over slugs, slugs over aliases; the builder
        // refuses a catalog where two models claim one name, so the order only matters for operator-added models.
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
        foreach (var model in Models)
        {
            foreach (var alias in model.Aliases)
            {
                byId.TryAdd(alias, model);
            }
        }
        _modelsById = byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _retired = _retiredNames.Where(r => !byId.ContainsKey(r.Name))
            .ToFrozenDictionary(r => r.Name, r => r.Model, StringComparer.OrdinalIgnoreCase);
    }

    public string Updated { get; }
    public ImmutableArray<ProviderInfo> Providers { get; }
    public ImmutableArray<CatalogModel> Models { get; }

    /// <summary>
    /// Every enabled endpoint, by <see cref="CatalogEndpoint.Index"/>. The built catalog's are <c>0..n-1</c>; discovered
    /// endpoints follow with indices that are never reused, so the sequence may have gaps.
    /// </summary>
    public ImmutableArray<CatalogEndpoint> Endpoints { get; }

    /// <summary>The model a name resolves to: its id, canonical slug or one of its aliases, in any case.</summary>
    public CatalogModel? FindModel(string id) => _modelsById.GetValueOrDefault(id);

    /// <summary>The retired model a name (its id or an old alias) refers to, so the refusal can name the successor.</summary>
    public RetiredModel? FindRetired(string id) => _retired.GetValueOrDefault(id);

    /// <summary>Every retired model once, for the catalog's listing.</summary>
    public IEnumerable<RetiredModel> Retired => _retired.Values.Distinct().OrderBy(r => r.Id, StringComparer.Ordinal);

    public ProviderInfo? FindProvider(string slug) => _providersBySlug.GetValueOrDefault(slug);

    /// <summary>
    /// This snapshot with <paramref name="extra"/> models added (discovered ones): same providers and retired names,
    /// same instances of every model already here, so their endpoints keep their indices.
    /// </summary>
    public CatalogSnapshot With(IEnumerable<CatalogModel> extra) => new(Updated, Providers, Models.Concat(extra), _retiredNames);
}
