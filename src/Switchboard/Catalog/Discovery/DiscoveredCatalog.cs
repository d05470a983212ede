using System.Collections.Frozen;

namespace Switchboard.Catalog.Discovery;

/// <summary>
/// Builds the served catalog from the built one plus what each discovering provider listed. Keeps the one piece of
/// state that must outlive snapshots: the index each (provider, upstream model) pair was given, never given to
/// another pair, so an endpoint's health stays its own across swaps and when a model vanishes and comes back.
/// Not thread-safe: <see cref="ModelDiscovery"/> calls it from one poll at a time.
/// </summary>
internal sealed class DiscoveredCatalog
{
    /// <summary>Context length of a discovered model whose server does not say and that the catalog does not know.</summary>
    public const int DefaultContextLength = 8192;

    /// <summary>
    /// Distinct models one provider can ever be given an index for. A server that invents new names on every poll
    /// would otherwise grow the health registry without end; beyond this, new names are not served.
    /// </summary>
    public const int MaxIndicesPerProvider = 4 * ModelListParser.MaxModels;

    /// <summary>
    /// Parameters a discovered endpoint declares (they matter only to <c>provider.require_parameters</c>): the sampling
    /// and length controls every OpenAI-compatible server takes. Tools and structured output depend on the model, so
    /// they are not claimed; an operator who knows better configures the model.
    /// </summary>
    public static readonly FrozenSet<string> DefaultParameters = FrozenSet.ToFrozenSet(
        ["temperature", "top_p", "max_tokens", "stop", "seed", "frequency_penalty", "presence_penalty"], StringComparer.Ordinal);

    private readonly CatalogSnapshot _built;
    private readonly Dictionary<(string Provider, string Upstream), int> _indices = [];
    private readonly Dictionary<string, int> _perProvider = new(StringComparer.OrdinalIgnoreCase);
    private readonly FrozenDictionary<string, int> _knownContexts;
    private int _next;

    public DiscoveredCatalog(CatalogSnapshot built)
    {
        _built = built;
        _next = built.Endpoints.IsEmpty ? 0 : built.Endpoints[^1].Index + 1;
        // The catalog may already know a discovered model under another provider or as a Hugging Face id.
        var contexts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var endpoint in built.Endpoints.Where(e => e.ContextLength > 0))
        {
            contexts.TryAdd(endpoint.UpstreamModel, endpoint.ContextLength);
        }
        foreach (var model in built.Models.Where(m => m.HuggingFaceId is not null && m.ContextLength > 0))
        {
            contexts.TryAdd(model.HuggingFaceId!, model.ContextLength);
        }
        _knownContexts = contexts.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// The built catalog plus, for each provider in <paramref name="lists"/>, a model per listed name the catalog does
    /// not already serve from that provider. Names whose id cannot be formed or is taken are skipped and counted.
    /// </summary>
    public CatalogSnapshot Build(IReadOnlyDictionary<string, IReadOnlyList<DiscoveredModel>> lists, out int skipped)
    {
        skipped = 0;
        var extra = new List<CatalogModel>();
        var claimed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in _built.Providers.Where(p => lists.ContainsKey(p.Slug)).OrderBy(p => p.Slug, StringComparer.Ordinal))
        {
            var served = _built.Endpoints.Where(e => e.Provider.Slug == provider.Slug).Select(e => e.UpstreamModel).ToHashSet(StringComparer.Ordinal);
            foreach (var found in lists[provider.Slug])
            {
                if (served.Contains(found.UpstreamId))
                {
                    continue; // already a catalog endpoint of this provider: served as the catalog says
                }
                if (ModelId(provider.Slug, found.UpstreamId) is not { } id
                    || _built.FindModel(id) is not null || _built.FindRetired(id) is not null
                    || !claimed.Add(id)
                    || IndexOf(provider.Slug, found.UpstreamId) is not { } index)
                {
                    skipped++;
                    continue;
                }
                extra.Add(CreateModel(id, index, provider, found));
            }
        }
        return _built.With(extra);
    }

    /// <summary>
    /// <c>{provider}/{name}</c> in lower case, every character but ASCII letters, digits, <c>.</c>, <c>_</c> and
    /// <c>-</c> replaced by <c>-</c>: <c>:</c> would read as a variant (<c>:free</c>), <c>/</c> as a third path
    /// segment. Null when nothing recognisable is left or the id would be too long.
    /// </summary>
    public static string? ModelId(string providerSlug, string upstreamId)
    {
        var slug = string.Create(upstreamId.Length, upstreamId, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = char.ToLowerInvariant(source[i]);
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-';
            }
        });
        var id = $"{providerSlug.ToLowerInvariant()}/{slug}";
        return slug.Any(char.IsAsciiLetterOrDigit) && CatalogBuilder.IsValidModelId(id) ? id : null;
    }

    private int? IndexOf(string provider, string upstream)
    {
        if (_indices.TryGetValue((provider, upstream), out var index))
        {
            return index;
        }
        var count = _perProvider.GetValueOrDefault(provider);
        if (count >= MaxIndicesPerProvider)
        {
            return null;
        }
        _perProvider[provider] = count + 1;
        _indices[(provider, upstream)] = _next;
        return _next++;
    }

    private CatalogModel CreateModel(string id, int index, ProviderInfo provider, DiscoveredModel found)
    {
        var context = found.ContextLength ?? _knownContexts.GetValueOrDefault(found.UpstreamId, DefaultContextLength);
        var model = new CatalogModel
        {
            Id = id,
            Name = $"{provider.Name}: {found.UpstreamId}",
            Description = $"Discovered on {provider.Name}: listed by the provider's GET /models and served as it is there.",
            ContextLength = context,
            Discovered = true,
        };
        model.Endpoints =
        [
            new CatalogEndpoint
            {
                Index = index,
                Model = model,
                Provider = provider,
                UpstreamModel = found.UpstreamId,
                ContextLength = context,
                Pricing = Pricing.Free,
                DataPolicy = provider.DataPolicy,
                SupportedParameters = DefaultParameters,
            },
        ];
        return model;
    }
}
