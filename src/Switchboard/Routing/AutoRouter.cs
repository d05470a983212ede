using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Health;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Routing;

/// <summary>
/// <c>openrouter/auto</c>: picks the models a request is routed to from the operator's candidate list
/// (<c>Switchboard:AutoRouter</c>). A candidate is eligible when one of its endpoints can serve the request
/// (capabilities, context, the request's provider preferences) and the plugin's patterns allow it; eligible
/// candidates are ranked by health, then by the preference. The first is the choice, the next
/// <see cref="Fallbacks"/> its fallbacks, all routed as if the client had listed them in <c>models</c>.
/// The policy is docs/routing.md's "openrouter/auto" section, and <see cref="AutoSelection"/> holds its ranking.
/// </summary>
internal sealed class AutoRouter
{
    public const string Id = "openrouter/auto";

    /// <summary>Eligible candidates tried after the choice when all of its endpoints fail.</summary>
    public const int Fallbacks = 2;

    private readonly EndpointHealthRegistry _health;

    public AutoRouter(ModelCatalog catalog, IOptions<SwitchboardOptions> options, EndpointHealthRegistry health)
    {
        _health = health;
        var settings = options.Value.AutoRouter;
        Enabled = settings.Enabled;
        // The options validator has refused any other value before this runs.
        Preference = AutoPreferences.TryParse(settings.Preference, out var preference) ? preference : AutoPreference.Balanced;
        var candidates = ImmutableArray.CreateBuilder<CatalogModel>();
        var missing = new List<string>();
        foreach (var id in settings.EffectiveCandidates)
        {
            if (catalog.FindModel(id) is { IsEmbedding: false } model && !candidates.Contains(model))
            {
                candidates.Add(model);
            }
            else
            {
                missing.Add(id);
            }
        }
        Candidates = candidates.ToImmutable();
        Skipped = missing;
        Model = new CatalogModel
        {
            Id = Id,
            Name = "Auto Router",
            Description = "Chooses a model for each request from the operator's candidates, by what the request needs, "
                + $"the candidates' health and a {Preference.ToString().ToLowerInvariant()} preference; the response's model names the one chosen.",
            ContextLength = Candidates.IsEmpty ? 0 : Candidates.Max(m => m.ContextLength),
            InputModalities = [.. Candidates.SelectMany(m => m.InputModalities).Distinct(StringComparer.OrdinalIgnoreCase)],
            OutputModalities = ["text"],
            Tokenizer = "Router",
        };
        SupportedParameters = [.. Candidates.SelectMany(m => m.Endpoints).SelectMany(e => e.SupportedParameters).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary><c>openrouter/auto</c> as the catalog API lists it: no endpoints of its own, what its candidates take in.</summary>
    public CatalogModel Model { get; }

    /// <summary>Every parameter some candidate's endpoint supports.</summary>
    public IReadOnlyList<string> SupportedParameters { get; }

    public bool Enabled { get; }

    public AutoPreference Preference { get; }

    /// <summary>The configured candidates the catalog has, in the configured order.</summary>
    public ImmutableArray<CatalogModel> Candidates { get; }

    /// <summary>Configured ids the catalog has no chat model for (or repeats of one), left out with a warning.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Listed in the catalog API, and served, when enabled with at least one candidate.</summary>
    public bool Listed => Enabled && Candidates.Length > 0;

    public static bool IsAuto(string id) => string.Equals(id, Id, StringComparison.OrdinalIgnoreCase);

    /// <summary>A requested model that is <c>openrouter/auto</c>, with or without a variant suffix.</summary>
    public static bool Requests(string requested) =>
        requested.StartsWith(Id, StringComparison.OrdinalIgnoreCase) && (requested.Length == Id.Length || requested[Id.Length] == ':');

    /// <summary>The models to route to, the choice first; empty when no candidate is eligible.</summary>
    public List<CatalogModel> Choose(ChatRequest request, ModelVariant variant, ProviderSet providers)
    {
        var needs = AutoNeeds.Of(request);
        var plugin = request.AutoRouter;
        var eligible = new List<AutoSelection.Eligible>(Candidates.Length);
        for (var rank = 0; rank < Candidates.Length; rank++)
        {
            var model = Candidates[rank];
            if (request.Governance is { } governance && !governance.AllowsModel(model.Id, variant))
            {
                continue; // the key's allowed_models: auto never chooses what the key could not name itself
            }
            if (plugin is not null
                && ((plugin.Allowed.Count > 0 && !ModelPattern.MatchesAny(plugin.Allowed, model.Id)) || ModelPattern.MatchesAny(plugin.Excluded, model.Id)))
            {
                continue;
            }
            if (!needs.AcceptsInput(model))
            {
                continue;
            }
            var tokens = PromptBound.Expected(request.Prompt, model) + (request.LargestOutputLimit ?? 0);
            var tier = int.MaxValue;
            var price = decimal.MaxValue;
            foreach (var endpoint in model.Endpoints)
            {
                if (EndpointFilter.Exclusion(endpoint, request, variant) is not null || !needs.SupportedBy(endpoint) || !Fits(endpoint, tokens))
                {
                    continue;
                }
                var endpointTier = Tier(endpoint, providers);
                if (endpointTier < tier)
                {
                    (tier, price) = (endpointTier, endpoint.Pricing.Blended);
                }
                else if (endpointTier == tier)
                {
                    price = Math.Min(price, endpoint.Pricing.Blended);
                }
            }
            if (tier != int.MaxValue)
            {
                eligible.Add(new AutoSelection.Eligible(model, rank, tier, price));
            }
        }
        var ordered = AutoSelection.Order(eligible, plugin?.Preference ?? Preference);
        var count = Math.Min(ordered.Count, 1 + Fallbacks);
        var chosen = new List<CatalogModel>(count);
        for (var i = 0; i < count; i++)
        {
            chosen.Add(ordered[i].Model);
        }
        return chosen;
    }

    /// <summary>The prompt's expected tokens plus the requested output fit the endpoint's context (or the model's).</summary>
    private static bool Fits(CatalogEndpoint endpoint, long tokens)
    {
        var context = endpoint.ContextLength > 0 ? endpoint.ContextLength : endpoint.Model.ContextLength;
        return context <= 0 || tokens <= context;
    }

    /// <summary>0 healthy, 1 failed recently, 2 circuit open, 3 no credential.</summary>
    private int Tier(CatalogEndpoint endpoint, ProviderSet providers)
    {
        if (!providers[endpoint.Provider].IsConfigured)
        {
            return 3;
        }
        return _health.Availability(endpoint) switch
        {
            EndpointAvailability.Healthy => 0,
            EndpointAvailability.Degraded => 1,
            _ => 2,
        };
    }
}
