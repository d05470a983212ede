using System.Buffers;
using Switchboard.Api;
using Switchboard.Catalog;
using Switchboard.Health;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Routing;

/// <summary>
/// Turns a request into the ordered list of endpoints to try: each requested model in turn (<c>model</c>, then
/// <c>models[]</c>), its endpoints filtered by the <c>provider</c> preferences and ordered by <c>order</c>, by
/// <c>sort</c>, or by OpenRouter's default of a price-weighted random pick among healthy endpoints. Prices are an
/// endpoint's at the tier the request's prompt falls in (<see cref="RoutePrices"/>).
/// Runs on every request: candidates live in a pooled array and are ordered by one sort over precomputed keys.
/// Endpoints whose circuit is open go after every other, the one that failed least recently first: the handler tries
/// them only when nothing before them could be tried, so a request is never refused untried because of an open circuit.
/// </summary>
internal sealed class RoutePlanner(ModelCatalog catalog, EndpointHealthRegistry health, AutoRouter autoRouter)
{
    /// <param name="providers">The gateway's providers, with the account's own keys in place.</param>
    public bool TryPlan(ChatRequest request, ProviderSet providers, out List<RouteAttempt> attempts, out ApiError? error)
    {
        attempts = [];
        error = null;
        var preferences = request.Provider;
        SortedSet<string>? exclusions = null;
        List<(RouteAttempt Route, long LastFailure)>? paused = null;
        SortedSet<string>? withheld = null;

        var planned = 0;
        ApiError? autoRefusedByKey = null;
        for (var i = 0; i < request.Models.Count; i++)
        {
            var param = i == 0 && request.Has("model") ? "model" : "models";
            if (!RequestedModel.TryParse(request.Models[i], out var requested))
            {
                error = ApiError.BadRequest(
                    $"Model variant ':{requested.Suffix}' in '{request.Models[i]}' is not supported; use :free, :nitro or :floor.", param);
                return false;
            }
            if (AutoRouter.IsAuto(requested.Id))
            {
                if (AutoRefusal(request, param) is { } refused)
                {
                    error = refused;
                    return false;
                }
                // openrouter/auto expands in place: the choice, then its fallbacks, each routed as a listed model.
                var choice = autoRouter.Choose(request, requested.Variant, providers);
                if (choice.Count == 0 && request.Governance is { } governance)
                {
                    autoRefusedByKey ??= governance.AutoRefusal(autoRouter.Candidates, requested.Variant, param);
                }
                foreach (var chosen in choice)
                {
                    if (!Planned(attempts, chosen))
                    {
                        PlanModel(chosen, requested, request, providers, attempts, ref exclusions, ref paused, ref withheld);
                        planned++;
                    }
                }
                continue;
            }
            if (catalog.FindModel(requested.Id) is not { } model)
            {
                error = UnknownModelError.For(catalog, request.Models[i], requested.Id, param);
                return false;
            }
            if (request.Governance is { } rules && !rules.AllowsModel(model.Id, requested.Variant))
            {
                // Every listed model is judged, fallbacks included: a list that names a forbidden model is refused whole.
                error = rules.ModelRefusal(model.Id, requested.Variant, param);
                return false;
            }
            if (model.IsEmbedding != (request.Dialect == IngressDialect.Embeddings))
            {
                error = WrongKind(request.Models[i], model, param);
                return false;
            }
            PlanModel(model, requested, request, providers, attempts, ref exclusions, ref paused, ref withheld);
            planned++;
        }

        if (planned == 0)
        {
            // Only openrouter/auto was asked for, and no candidate is eligible (OpenRouter's wording), or none the key may use.
            error = autoRefusedByKey ?? ApiError.NotFound("No models match your request and model restrictions", "no_models_match");
            return false;
        }

        if (preferences.SortAcrossModels && preferences.Sort is { } across && planned > 1)
        {
            SortAcrossModels(attempts, request, across);
        }

        if (paused is not null)
        {
            paused.Sort(static (a, b) => a.LastFailure.CompareTo(b.LastFailure));
            // Without fallbacks a request goes to one endpoint at most, so one paused endpoint is enough.
            var count = preferences.AllowFallbacks ? paused.Count : 1;
            for (var i = 0; i < count; i++)
            {
                attempts.Add(paused[i].Route);
            }
        }

        if (attempts.Count == 0)
        {
            error = exclusions is not null && exclusions.Contains(KeyGovernance.ProvidersExclusion)
                ? request.Governance!.ProviderRefusal(request.Models, exclusions)
                : withheld is null ? NoEndpoints(request, exclusions) : UnreadableOwnKeys(withheld);
            return false;
        }
        return true;
    }

    /// <summary>One model's endpoints: filtered, ordered, and appended to the plan (paused ones set aside).</summary>
    private void PlanModel(
        CatalogModel model, RequestedModel requested, ChatRequest request, ProviderSet providers, List<RouteAttempt> attempts,
        ref SortedSet<string>? exclusions, ref List<(RouteAttempt Route, long LastFailure)>? paused, ref SortedSet<string>? withheld)
    {
        var preferences = request.Provider;
        var sort = preferences.Sort ?? requested.Variant switch
        {
            ModelVariant.Nitro => ProviderSort.Throughput,
            ModelVariant.Floor => ProviderSort.Price,
            _ => (ProviderSort?)null,
        };
        var publicId = requested.PublicId(model);
        var pooled = ArrayPool<Candidate>.Shared.Rent(model.Endpoints.Length);
        try
        {
            var count = 0;
            foreach (var endpoint in model.Endpoints)
            {
                if (EndpointFilter.Exclusion(endpoint, request, requested.Variant) is { } reason)
                {
                    (exclusions ??= new SortedSet<string>(StringComparer.Ordinal)).Add(reason);
                    continue;
                }
                if (providers.IsWithheld(endpoint.Provider))
                {
                    // The account's own key for this provider is unreadable here: not its key, and not ours either.
                    (withheld ??= new SortedSet<string>(StringComparer.Ordinal)).Add(endpoint.Provider.Slug);
                    continue;
                }
                var availability = health.Availability(endpoint);
                if (availability == EndpointAvailability.Open)
                {
                    if (MayTryWhenPaused(endpoint, preferences))
                    {
                        (paused ??= []).Add((new RouteAttempt(endpoint, publicId), health[endpoint].LastFailure));
                    }
                    continue;
                }
                pooled[count] = Candidate.Create(endpoint, RoutePrices.Expected(endpoint, request), count, availability, providers[endpoint.Provider], preferences, sort, health[endpoint]);
                count++;
            }

            var ordered = Order(pooled.AsSpan(0, count), preferences, sort);
            attempts.EnsureCapacity(attempts.Count + ordered.Length);
            foreach (var candidate in ordered)
            {
                attempts.Add(new RouteAttempt(candidate.Endpoint, publicId));
            }
        }
        finally
        {
            ArrayPool<Candidate>.Shared.Return(pooled, clearArray: true);
        }
    }

    private static bool Planned(List<RouteAttempt> attempts, CatalogModel model)
    {
        foreach (var attempt in attempts)
        {
            if (attempt.Endpoint.Model == model)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Why <c>openrouter/auto</c> cannot serve this request at all, if it cannot.</summary>
    private ApiError? AutoRefusal(ChatRequest request, string param)
    {
        if (request.Dialect == IngressDialect.Embeddings)
        {
            return new ApiError(StatusCodes.Status400BadRequest,
                "openrouter/auto chooses chat models only: name an embedding model (see GET /api/v1/embeddings/models).",
                new ErrorMetadata { ErrorType = "model_not_supported", Param = param });
        }
        if (!autoRouter.Enabled)
        {
            return new ApiError(StatusCodes.Status400BadRequest,
                "openrouter/auto is turned off on this gateway (Switchboard:AutoRouter:Enabled): name a model (see GET /api/v1/models).",
                new ErrorMetadata { ErrorType = "model_not_supported", Param = param });
        }
        return null;
    }

    /// <summary>
    /// Orders the candidates in place and returns the ones to try. With <c>order</c>: the named providers strictly in
    /// that order (configured first), then, if fallbacks are allowed, the others ranked. Without: all of them ranked,
    /// or only the best when fallbacks are not allowed.
    /// </summary>
    private static ReadOnlySpan<Candidate> Order(Span<Candidate> candidates, ProviderPreferences preferences, ProviderSort? sort)
    {
        candidates.Sort(static (a, b) => a.CompareTo(b));
        var named = 0;
        while (named < candidates.Length && candidates[named].Named)
        {
            named++;
        }
        var ranked = candidates[named..];
        if (sort is null)
        {
            PickPriceWeighted(ranked);
        }
        if (!preferences.AllowFallbacks)
        {
            return preferences.Order is null ? candidates[..Math.Min(1, candidates.Length)] : candidates[..named];
        }
        return candidates;
    }

    /// <summary>
    /// OpenRouter's default: among the first (best) group of ranked endpoints, already cheapest first, one is drawn at
    /// random with weight 1/price² and moved to the front, so a $1 endpoint is picked nine times as often as a $3
    /// one; the rest stay cheapest first. Weights are probabilities, not money.
    /// </summary>
    private static void PickPriceWeighted(Span<Candidate> ranked)
    {
        var size = 0;
        while (size < ranked.Length && ranked[size].Rank == ranked[0].Rank)
        {
            size++;
        }
        if (size < 2)
        {
            return;
        }
        var group = ranked[..size];
        var total = 0.0;
        foreach (var candidate in group)
        {
            total += candidate.Weight;
        }
        var draw = Random.Shared.NextDouble() * total;
        var chosen = 0;
        for (; chosen < group.Length - 1; chosen++)
        {
            draw -= group[chosen].Weight;
            if (draw < 0)
            {
                break;
            }
        }
        var pick = group[chosen];
        group[..chosen].CopyTo(group[1..]);
        group[0] = pick;
    }

    /// <summary><c>sort.partition: "none"</c>: one stable ordering of every model's endpoints by the sort key.</summary>
    private void SortAcrossModels(List<RouteAttempt> attempts, ChatRequest request, ProviderSort sort)
    {
        var keyed = new (double Key, int Index)[attempts.Count];
        for (var i = 0; i < keyed.Length; i++)
        {
            var endpoint = attempts[i].Endpoint;
            keyed[i] = (SortKey(sort == ProviderSort.Price ? RoutePrices.Expected(endpoint, request) : endpoint.Pricing, sort, health[endpoint]), i);
        }
        Array.Sort(keyed);
        var original = attempts.ToArray();
        for (var i = 0; i < keyed.Length; i++)
        {
            attempts[i] = original[keyed[i].Index];
        }
    }

    /// <param name="pricing">The endpoint's prices at the request's tier (<see cref="RoutePrices.Expected"/>).</param>
    private static double SortKey(Pricing pricing, ProviderSort sort, EndpointHealth stats) => sort switch
    {
        ProviderSort.Price => (double)pricing.Blended,
        // Unmeasured endpoints rank after measured ones: the live figures are the point of these sorts.
        ProviderSort.Throughput => stats.TokensPerSecond is { } tps ? -tps : double.MaxValue,
        ProviderSort.Latency => stats.LatencyMs ?? double.MaxValue,
        _ => 0,
    };

    /// <summary>With <c>order</c> and no fallbacks only the named providers may ever be called, paused or not.</summary>
    private static bool MayTryWhenPaused(CatalogEndpoint endpoint, ProviderPreferences preferences) =>
        preferences.AllowFallbacks || preferences.Order is not { } order || Candidate.NamedAt(endpoint, order) >= 0;

    /// <summary>An embedding model asked to chat, or a chat model asked for embeddings: each API serves only its own kind.</summary>
    private static ApiError WrongKind(string requested, CatalogModel model, string param) => new(StatusCodes.Status400BadRequest,
        model.IsEmbedding
            ? $"'{requested}' is an embedding model: send it to POST /api/v1/embeddings, not a chat or messages API."
            : $"'{requested}' is not an embedding model. See GET /api/v1/embeddings/models for the embedding models this gateway serves.",
        new ErrorMetadata { ErrorType = "model_not_supported", Param = param });

    /// <summary>
    /// Every endpoint left was a provider the account has its own key for, and this replica cannot decrypt it. 503,
    /// not 4xx: nothing is wrong with the request, and another replica (or this one, once its key ring settings are
    /// fixed; its /readyz says so meanwhile) serves it; a client or balancer that retries elsewhere does the right thing.
    /// </summary>
    private static ApiError UnreadableOwnKeys(SortedSet<string> providers)
    {
        var names = string.Join(", ", providers);
        return new ApiError(StatusCodes.Status503ServiceUnavailable,
            $"The account's stored key for {names} cannot be decrypted on this replica, so the request was not sent there (nor on the gateway's " +
            "credential instead, which would bill it at full price). The operator must give this replica the same Switchboard:DataProtection " +
            "settings as the others (EncryptionKey and DecryptionKeys, or CertificatePath; see its /readyz), or the account can enter the key " +
            $"again (PUT /web/provider-keys/{providers.Min}).",
            new ErrorMetadata { ErrorType = "provider_key_unreadable", ProviderName = names });
    }

    private static ApiError NoEndpoints(ChatRequest request, SortedSet<string>? exclusions)
    {
        var models = string.Join(", ", request.Models);
        var why = exclusions is null ? "" : $" (excluded by {string.Join(", ", exclusions)})";
        return new ApiError(StatusCodes.Status404NotFound,
            $"No endpoints found for {models} that match your routing constraints{why}.",
            new ErrorMetadata { ErrorType = "no_endpoints", RequestedModels = request.Models, ExcludedBy = exclusions is null ? [] : [.. exclusions] });
    }

    /// <summary>
    /// An endpoint that passed the filters, with the keys it is ordered by, in order of precedence: the rank (named in
    /// <c>provider.order</c> first, then those the account has its own key for, then the other configured ones, then the
    /// unconfigured; healthy before recently failed within each); then the
    /// sort key (position in <c>order</c>, or the live figure <c>sort</c> asks for); then price; then catalog order,
    /// which keeps the sort stable. Kept small, since the sort moves candidates around.
    /// </summary>
    private readonly struct Candidate
    {
        // Decimal comparisons are slow: the price as a double orders candidates whenever the doubles differ (the
        // conversion never reverses an order), and the catalog's decimal settles only exact ties of the double.
        private readonly double _price;

        // The endpoint's prices at the request's tier: what the price order and the weights compare.
        private readonly Pricing _pricing;

        private Candidate(CatalogEndpoint endpoint, Pricing pricing, int rank, double key, double price, int index)
        {
            Endpoint = endpoint;
            _pricing = pricing;
            Rank = rank;
            Key = key;
            _price = price;
            Index = index;
        }

        public CatalogEndpoint Endpoint { get; }

        /// <summary>0–1: named in <c>order</c> (configured, unconfigured); 2–7: the others' groups.</summary>
        public int Rank { get; }
        public double Key { get; }
        public int Index { get; }
        public bool Named => Rank < 2;

        /// <summary>Weight in the price-weighted pick: 1/price².</summary>
        public double Weight => 1.0 / Math.Pow(Math.Max(_price, 1e-3), 2);

        public static Candidate Create(
            CatalogEndpoint endpoint, Pricing pricing, int index, EndpointAvailability availability, ProviderRuntime provider, ProviderPreferences preferences, ProviderSort? sort, EndpointHealth stats)
        {
            var unconfigured = provider.IsConfigured ? 0 : 1;
            if (preferences.Order is { } order && NamedAt(endpoint, order) is var position && position >= 0)
            {
                // Strict order for the named providers: only an unconfigured one moves back, behind the configured.
                return new Candidate(endpoint, pricing, unconfigured, position, 0, index);
            }
            // The account's own keys first, as OpenRouter does with BYOK: the account pays its provider, and credits only the fee.
            var group = provider.IsAccountKey ? 0 : 2 + (2 * unconfigured);
            var rank = 2 + group + (availability == EndpointAvailability.Degraded ? 1 : 0);
            var key = sort is { } by ? SortKey(pricing, by, stats) : 0;
            return new Candidate(endpoint, pricing, rank, key, (double)pricing.Blended, index);
        }

        public int CompareTo(in Candidate other)
        {
            var byRank = Rank.CompareTo(other.Rank);
            if (byRank != 0)
            {
                return byRank;
            }
            var byKey = Key.CompareTo(other.Key);
            if (byKey != 0)
            {
                return byKey;
            }
            if (!Named)
            {
                var byPrice = _price.CompareTo(other._price);
                if (byPrice == 0)
                {
                    byPrice = _pricing.Blended.CompareTo(other._pricing.Blended);
                }
                if (byPrice != 0)
                {
                    return byPrice;
                }
            }
            return Index.CompareTo(other.Index);
        }

        /// <summary>The first name in <c>provider.order</c> that matches the endpoint; -1 when none does.</summary>
        public static int NamedAt(CatalogEndpoint endpoint, IReadOnlyList<string> order)
        {
            for (var i = 0; i < order.Count; i++)
            {
                if (EndpointFilter.Matches(endpoint, order[i]))
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
