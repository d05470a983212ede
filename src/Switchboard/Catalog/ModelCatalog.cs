using System.Collections.Immutable;

namespace Switchboard.Catalog;

/// <summary>
/// The catalog the gateway serves: a facade over an immutable <see cref="CatalogSnapshot"/> that discovery replaces
/// whole (<see cref="Swap"/>). Reading <see cref="Current"/> is one volatile load; every lookup after it is a
/// frozen-dictionary read of that snapshot.
/// </summary>
/// <remarks>
/// The members below read the current snapshot each time. A caller that makes several lookups which must agree
/// (list the providers, then their endpoints) takes <see cref="Current"/> once and reads that. A single
/// <see cref="FindModel"/> needs nothing more: a <see cref="CatalogModel"/> carries its own endpoints, so a request that
/// resolved a model routes over exactly that model's endpoints whatever is swapped in meanwhile.
/// </remarks>
internal sealed class ModelCatalog
{
    private CatalogSnapshot _current;

    public ModelCatalog(CatalogSnapshot built)
    {
        Built = built;
        _current = built;
    }

    public ModelCatalog(string updated, IEnumerable<ProviderInfo> providers, IEnumerable<CatalogModel> models, IEnumerable<(string Name, RetiredModel Model)>? retired = null)
        : this(new CatalogSnapshot(updated, providers, models, retired))
    {
    }

    /// <summary>The catalog as built at start-up from the file and configuration, before discovery added anything.</summary>
    public CatalogSnapshot Built { get; }

    /// <summary>The snapshot requests see now.</summary>
    public CatalogSnapshot Current => Volatile.Read(ref _current);

    /// <summary>
    /// Publishes <paramref name="next"/>. It must extend <see cref="Built"/> (<see cref="CatalogSnapshot.With"/>) with
    /// endpoints whose indices were never given to another endpoint, so per-endpoint state stays with its endpoint.
    /// </summary>
    public void Swap(CatalogSnapshot next) => Volatile.Write(ref _current, next);

    public string Updated => Current.Updated;
    public ImmutableArray<ProviderInfo> Providers => Current.Providers;
    public ImmutableArray<CatalogModel> Models => Current.Models;

    /// <inheritdoc cref="CatalogSnapshot.Endpoints"/>
    public ImmutableArray<CatalogEndpoint> Endpoints => Current.Endpoints;

    /// <inheritdoc cref="CatalogSnapshot.FindModel"/>
    public CatalogModel? FindModel(string id) => Current.FindModel(id);

    /// <inheritdoc cref="CatalogSnapshot.FindRetired"/>
    public RetiredModel? FindRetired(string id) => Current.FindRetired(id);

    /// <inheritdoc cref="CatalogSnapshot.Retired"/>
    public IEnumerable<RetiredModel> Retired => Current.Retired;

    public ProviderInfo? FindProvider(string slug) => Current.FindProvider(slug);
}
