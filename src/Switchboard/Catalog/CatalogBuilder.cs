using System.Globalization;
using Switchboard.Configuration;

namespace Switchboard.Catalog;

/// <summary>
/// Merges the catalog file with operator configuration into a <see cref="ModelCatalog"/>, collecting every
/// problem (each naming the file entry or configuration key at fault) rather than stopping at the first.
/// </summary>
internal sealed class CatalogBuilder(IReadOnlySet<string> knownProtocols)
{
    private readonly List<string> _errors = [];
    private readonly Dictionary<string, ProviderInfo> _providers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ModelDraft> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CatalogSource> _sources = new(StringComparer.Ordinal);
    private readonly List<(CatalogFileRetired Entry, RetiredModel Model)> _retired = [];

    public IReadOnlyList<string> Errors => _errors;

    public ModelCatalog Build(CatalogFile file, SwitchboardOptions options)
    {
        foreach (var (name, source) in file.Sources)
        {
            AddSource(name, source);
        }
        foreach (var provider in file.Providers)
        {
            AddFileProvider(provider);
        }
        foreach (var (slug, settings) in options.Providers)
        {
            ApplyProviderOptions(slug, settings);
        }
        foreach (var model in file.Models)
        {
            AddFileModel(model);
        }
        foreach (var (id, settings) in options.Models)
        {
            ApplyModelOptions(id, settings);
        }
        foreach (var retired in file.Retired)
        {
            AddRetired(retired);
        }
        return Freeze(file.Updated ?? "unknown");
    }

    private void AddSource(string name, CatalogFileSource s)
    {
        if (string.IsNullOrWhiteSpace(s.Url) || string.IsNullOrWhiteSpace(s.Retrieved))
        {
            _errors.Add($"catalog source '{name}': 'url' and 'retrieved' (the date the source reflects) are required.");
            return;
        }
        _sources[name] = new CatalogSource(name, s.Url, s.Retrieved, s.Notes);
    }

    private CatalogSource? FindSource(string? name, string where)
    {
        if (name is null)
        {
            return null;
        }
        if (_sources.TryGetValue(name, out var source))
        {
            return source;
        }
        _errors.Add($"{where}: source '{name}' is not defined in the catalog's sources.");
        return null;
    }

    private void AddRetired(CatalogFileRetired r)
    {
        var where = $"catalog retired model '{r.Id ?? "(no id)"}'";
        if (!IsValidModelId(r.Id) || string.IsNullOrWhiteSpace(r.RetiredOn) || string.IsNullOrWhiteSpace(r.Successor))
        {
            _errors.Add($"{where}: 'id' (author/slug), 'retired_on' and 'successor' are required.");
            return;
        }
        if (!_models.ContainsKey(r.Successor))
        {
            _errors.Add($"{where}: successor '{r.Successor}' is not a model in the catalog.");
            return;
        }
        FindSource(r.Source, where);
        _retired.Add((r, new RetiredModel(r.Id!, r.RetiredOn, r.Successor, r.Note)));
    }

    private void AddFileProvider(CatalogFileProvider p)
    {
        var where = $"catalog provider '{p.Slug ?? "(no slug)"}'";
        if (string.IsNullOrWhiteSpace(p.Slug) || string.IsNullOrWhiteSpace(p.Name))
        {
            _errors.Add($"{where}: 'slug' and 'name' are required.");
            return;
        }
        var baseUrl = ParseBaseUrl(p.BaseUrl, $"{where}: 'base_url'");
        var protocol = CheckProtocol(p.Protocol ?? "openai", $"{where}: 'protocol'");
        if (baseUrl is null || protocol is null)
        {
            return;
        }
        _providers[p.Slug] = new ProviderInfo
        {
            Slug = p.Slug,
            Name = p.Name,
            BaseUrl = baseUrl,
            Protocol = protocol,
            ApiKeyEnv = p.ApiKeyEnv,
            // A provider that names no variable for its key (a local server) needs none.
            ApiKeyOptional = p.ApiKeyOptional || p.ApiKeyEnv is null,
            Enabled = p.Enabled,
            CollectsData = p.CollectsData,
            Headquarters = p.Headquarters,
            Datacenters = p.Datacenters ?? [],
            PrivacyPolicyUrl = p.PrivacyPolicyUrl,
            TermsOfServiceUrl = p.TermsOfServiceUrl,
            StatusPageUrl = p.StatusPageUrl,
            DataPolicy = ToPolicy(p.DataPolicy),
            Discovery = p.Discovery,
        };
    }

    private static DataPolicy? ToPolicy(CatalogFileDataPolicy? p) => p is null ? null : new DataPolicy(p.Training, p.RetainsPrompts, p.RetentionDays);

    private void ApplyProviderOptions(string slug, ProviderOptions o)
    {
        var key = $"Switchboard:Providers:{slug}";
        Uri? baseUrl = o.BaseUrl is null ? null : ParseBaseUrl(o.BaseUrl, $"{key}:BaseUrl");
        string? protocol = o.Protocol is null ? null : CheckProtocol(o.Protocol, $"{key}:Protocol");
        if ((o.BaseUrl is not null && baseUrl is null) || (o.Protocol is not null && protocol is null))
        {
            return;
        }

        if (_providers.TryGetValue(slug, out var existing))
        {
            _providers[slug] = existing with
            {
                Name = o.Name ?? existing.Name,
                BaseUrl = baseUrl ?? existing.BaseUrl,
                Protocol = protocol ?? existing.Protocol,
                ApiKeyEnv = o.ApiKeyEnv ?? existing.ApiKeyEnv,
                ApiKeyOptional = o.ApiKeyOptional ?? existing.ApiKeyOptional,
                Enabled = o.Enabled ?? existing.Enabled,
                CollectsData = o.CollectsData ?? existing.CollectsData,
                Discovery = o.Discovery ?? existing.Discovery,
            };
            return;
        }

        if (baseUrl is null)
        {
            _errors.Add($"{key}:BaseUrl is required: '{slug}' is not a catalog provider, so it is defined here and needs an OpenAI-compatible base URL.");
            return;
        }
        _providers[slug] = new ProviderInfo
        {
            Slug = slug,
            Name = o.Name ?? slug,
            BaseUrl = baseUrl,
            Protocol = protocol ?? "openai",
            ApiKeyEnv = o.ApiKeyEnv,
            ApiKeyOptional = o.ApiKeyOptional ?? (o.ApiKeyEnv is null && o.ApiKey is null),
            Enabled = o.Enabled ?? true,
            CollectsData = o.CollectsData ?? false,
            Discovery = o.Discovery ?? false,
        };
    }

    private void AddFileModel(CatalogFileModel m)
    {
        var where = $"catalog model '{m.Id ?? "(no id)"}'";
        if (!IsValidModelId(m.Id) || string.IsNullOrWhiteSpace(m.Name))
        {
            _errors.Add($"{where}: 'id' (author/slug, no ':', at most {MaxModelIdLength} characters) and 'name' are required.");
            return;
        }
        var draft = new ModelDraft(m.Id!)
        {
            Name = m.Name!,
            CanonicalSlug = m.CanonicalSlug,
            HuggingFaceId = m.HuggingFaceId,
            Created = ParseDate(m.Created),
            Description = m.Description ?? "",
            ContextLength = m.ContextLength,
            InputModalities = m.InputModalities ?? ["text"],
            OutputModalities = m.OutputModalities ?? ["text"],
            Tokenizer = m.Tokenizer ?? "Other",
            ImageTokens = m.ImageTokens,
            InstructType = m.InstructType,
            KnowledgeCutoff = m.KnowledgeCutoff,
            Deprecation = ToDeprecation(m.Deprecation, where),
            Source = FindSource(m.Source, where),
        };
        AddAliases(draft, m.Aliases, where);
        foreach (var e in m.Endpoints)
        {
            var at = $"{where} endpoint '{e.Provider}'";
            if (e.Provider is null || !_providers.ContainsKey(e.Provider))
            {
                _errors.Add($"{at}: provider is not defined in the catalog's providers.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(e.UpstreamModel) || e.Pricing is null)
            {
                _errors.Add($"{at}: 'upstream_model' and 'pricing' are required.");
                continue;
            }
            if (draft.OutputModalities.Contains(CatalogModalities.Embeddings, StringComparer.Ordinal) && _providers[e.Provider].Protocol == "anthropic")
            {
                _errors.Add($"{at}: Anthropic's API has no embeddings; an embedding model cannot be served by it.");
                continue;
            }
            var pricing = ToPricing(e.Pricing, $"{at}: 'pricing'");
            draft.Endpoints[e.Provider] = new EndpointDraft(e.Provider)
            {
                DataPolicy = ToPolicy(e.DataPolicy),
                Source = FindSource(e.Source, at),
                UpstreamModel = e.UpstreamModel,
                ContextLength = e.ContextLength,
                MaxCompletionTokens = e.MaxCompletionTokens,
                Quantization = e.Quantization,
                Pricing = pricing,
                SupportedParameters = e.SupportedParameters ?? [],
            };
        }
        if (!_models.TryAdd(draft.Id, draft))
        {
            _errors.Add($"{where}: the id appears more than once.");
        }
    }

    private void ApplyModelOptions(string id, ModelOptions o)
    {
        var key = $"Switchboard:Models:{id}";
        if (!IsValidModelId(id))
        {
            _errors.Add($"{key}: a model id is author/slug with no ':' (variants such as :free are added by the gateway), at most {MaxModelIdLength} characters.");
            return;
        }
        if (!_models.TryGetValue(id, out var draft))
        {
            draft = new ModelDraft(id) { Name = o.Name ?? id };
            _models[id] = draft;
        }
        draft.Name = o.Name ?? draft.Name;
        draft.Description = o.Description ?? draft.Description;
        draft.ContextLength = o.ContextLength ?? draft.ContextLength;
        AddAliases(draft, o.Aliases, key);

        foreach (var (provider, e) in o.Endpoints)
        {
            var at = $"{key}:Endpoints:{provider}";
            if (!_providers.ContainsKey(provider))
            {
                _errors.Add($"{at}: no provider '{provider}'; define it under Switchboard:Providers:{provider}.");
                continue;
            }
            var isNew = !draft.Endpoints.TryGetValue(provider, out var endpoint);
            endpoint ??= new EndpointDraft(provider);
            var basePricing = endpoint.Pricing;
            if (isNew && (e.Pricing?.Prompt is null || e.Pricing.Completion is null))
            {
                _errors.Add($"{at}:Pricing:Prompt and :Completion are required for a new endpoint (USD per million tokens; 0 for free).");
                continue;
            }
            endpoint.UpstreamModel = e.UpstreamModel ?? endpoint.UpstreamModel ?? id[(id.IndexOf('/', StringComparison.Ordinal) + 1)..];
            endpoint.ContextLength = e.ContextLength ?? endpoint.ContextLength;
            endpoint.MaxCompletionTokens = e.MaxCompletionTokens ?? endpoint.MaxCompletionTokens;
            endpoint.Quantization = e.Quantization ?? endpoint.Quantization;
            endpoint.Enabled = e.Enabled ?? endpoint.Enabled;
            endpoint.SupportedParameters = e.SupportedParameters ?? endpoint.SupportedParameters;
            if (e.Pricing is { } p)
            {
                // Configuration overrides base prices; the catalog's tiers and per-image prices stay.
                endpoint.Pricing = basePricing with
                {
                    Prompt = p.Prompt ?? basePricing.Prompt,
                    Completion = p.Completion ?? basePricing.Completion,
                    Request = p.Request ?? basePricing.Request,
                    InputCacheRead = p.InputCacheRead ?? basePricing.InputCacheRead,
                    InputCacheWrite = p.InputCacheWrite ?? basePricing.InputCacheWrite,
                };
                CheckPricing(endpoint.Pricing, $"{at}:Pricing");
            }
            draft.Endpoints[provider] = endpoint;
        }
    }

    private ModelCatalog Freeze(string updated)
    {
        var providers = _providers.Values.Where(p => p.Enabled).ToList();
        foreach (var provider in providers.Where(p => p.Name.Length > MaxNameLength))
        {
            _errors.Add($"provider '{provider.Slug}': the name is longer than {MaxNameLength} characters.");
        }
        foreach (var provider in providers.Where(p => p.Discovery && p.Protocol != "openai"))
        {
            _errors.Add($"provider '{provider.Slug}': discovery reads an OpenAI-compatible GET /models; the provider's protocol is '{provider.Protocol}'.");
        }
        var models = new List<CatalogModel>();
        var index = 0;
        foreach (var draft in _models.Values.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            var live = draft.Endpoints.Values
                .Where(e => e.Enabled && _providers[e.Provider].Enabled)
                .OrderBy(e => e.Pricing.Blended)
                .ThenBy(e => e.Provider, StringComparer.Ordinal)
                .ToList();
            if (live.Count == 0)
            {
                continue;
            }
            var model = draft.ToModel(live.Max(e => e.ContextLength ?? 0));
            model.Endpoints = [.. live.Select(e => e.ToEndpoint(index++, model, _providers[e.Provider]))];
            models.Add(model);
        }
        CheckNames();
        return new ModelCatalog(updated, providers, models, _retired.SelectMany(r =>
            (r.Entry.Aliases ?? []).Prepend(r.Model.Id).Select(name => (name, r.Model))));
    }

    /// <summary>
    /// Every name (id, canonical slug, alias, retired id or alias) means one thing: a name two entries claim would
    /// route by whichever the catalog happened to list first, so it is refused instead.
    /// </summary>
    private void CheckNames()
    {
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Claim(string name, string owner)
        {
            if (!owners.TryAdd(name, owner) && !string.Equals(owners[name], owner, StringComparison.Ordinal))
            {
                _errors.Add($"catalog name '{name}' is claimed by both '{owners[name]}' and '{owner}'; a name must resolve to one model.");
            }
        }
        foreach (var draft in _models.Values)
        {
            Claim(draft.Id, draft.Id);
        }
        foreach (var draft in _models.Values)
        {
            if (draft.CanonicalSlug is { } canonical)
            {
                Claim(canonical, draft.Id);
            }
            foreach (var alias in draft.Aliases)
            {
                Claim(alias, draft.Id);
            }
        }
        foreach (var (entry, model) in _retired)
        {
            foreach (var name in (entry.Aliases ?? []).Prepend(model.Id))
            {
                Claim(name, $"retired {model.Id}");
            }
        }
    }

    private void AddAliases(ModelDraft draft, List<string>? aliases, string where)
    {
        foreach (var alias in aliases ?? [])
        {
            // A colon would be read as a variant suffix (:free) and never reach the alias.
            if (string.IsNullOrWhiteSpace(alias) || alias.Length > MaxModelIdLength || alias.Contains(':', StringComparison.Ordinal))
            {
                _errors.Add($"{where}: alias '{alias}' must be non-empty, at most {MaxModelIdLength} characters and contain no ':'.");
                continue;
            }
            if (!draft.Aliases.Contains(alias, StringComparer.OrdinalIgnoreCase))
            {
                draft.Aliases.Add(alias);
            }
        }
    }

    private ModelDeprecation? ToDeprecation(CatalogFileDeprecation? d, string where)
    {
        if (d is null)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(d.Note))
        {
            _errors.Add($"{where}: 'deprecation.note' is required: it is what users are shown.");
            return null;
        }
        return new ModelDeprecation(d.Note, d.Announced, d.RetiresOn, d.Successor);
    }

    private Pricing ToPricing(CatalogFilePricing p, string where)
    {
        var basePrices = new Pricing(p.Prompt, p.Completion, p.Request ?? 0m, p.InputCacheRead, p.InputCacheWrite)
        {
            Image = p.Image ?? 0m,
            ImageOutput = p.ImageOutput,
            InternalReasoning = p.InternalReasoning,
        };
        CheckPricing(basePrices, where);
        var tiers = new List<PriceTier>();
        var previous = basePrices;
        foreach (var t in p.Tiers ?? [])
        {
            var prices = basePrices with
            {
                Prompt = t.Prompt ?? basePrices.Prompt,
                Completion = t.Completion ?? basePrices.Completion,
                InputCacheRead = t.InputCacheRead ?? basePrices.InputCacheRead,
                InputCacheWrite = t.InputCacheWrite ?? basePrices.InputCacheWrite,
            };
            // Holds price a request at the tier of its prompt's upper bound; that is a worst case only if prices
            // never fall as the prompt grows.
            if (t.AbovePromptTokens <= (tiers.Count == 0 ? 0 : tiers[^1].AbovePromptTokens)
                || prices.Prompt < previous.Prompt || prices.Completion < previous.Completion
                || prices.InputCacheRead < previous.InputCacheRead || prices.InputCacheWrite < previous.InputCacheWrite)
            {
                _errors.Add($"{where}: 'tiers' must ascend by 'above_prompt_tokens' (> 0) with prices that never fall.");
                return basePrices;
            }
            CheckPricing(prices, where);
            tiers.Add(new PriceTier(t.AbovePromptTokens, prices));
            previous = prices;
        }
        return basePrices with { Tiers = [.. tiers] };
    }

    private Uri? ParseBaseUrl(string? value, string where)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }
        _errors.Add($"{where} '{value}' is not an absolute http(s) URL.");
        return null;
    }

    private string? CheckProtocol(string protocol, string where)
    {
        if (knownProtocols.Contains(protocol))
        {
            return protocol;
        }
        _errors.Add($"{where} '{protocol}' is not supported; use one of: {string.Join(", ", knownProtocols.Order())}.");
        return null;
    }

    private void CheckPricing(Pricing pricing, string where)
    {
        if (pricing.Prompt < 0 || pricing.Completion < 0 || pricing.Request < 0 || pricing.InputCacheRead < 0 || pricing.InputCacheWrite < 0
            || pricing.Image < 0 || pricing.ImageOutput < 0 || pricing.InternalReasoning < 0)
        {
            _errors.Add($"{where}: prices cannot be negative.");
        }
    }

    /// <summary>
    /// Model ids (with a variant such as <c>:free</c>) and provider names are stored in columns of 200 characters
    /// (the activity rollup's key, compare votes, default models).
    /// </summary>
    private const int MaxNameLength = 200;
    internal const int MaxModelIdLength = MaxNameLength - 16;

    internal static bool IsValidModelId(string? id) =>
        id is not null && id.Length <= MaxModelIdLength
        && id.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash && slash < id.Length - 1 && !id.Contains(':', StringComparison.Ordinal);

    private static long ParseDate(string? date) =>
        DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d.ToUnixTimeSeconds() : 0;
}
