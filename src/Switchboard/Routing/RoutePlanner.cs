using Switchboard.Api;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Health;
using Switchboard.Providers;

namespace Switchboard.Routing;

/// <summary>
/// Turns a request into the ordered list of endpoints to try: each requested model in turn (<c>model</c>, then
/// <c>models[]</c>), its endpoints filtered by the <c>provider</c> preferences and ordered by <c>order</c>, by
/// <c>sort</c>, or by OpenRouter's default of a price-weighted random pick among healthy endpoints.
/// </summary>
internal sealed class RoutePlanner(ModelCatalog catalog, ProviderRegistry providers, EndpointHealthRegistry health)
{
    public bool TryPlan(ChatRequest request, out List<RouteAttempt> attempts, out ApiError? error)
    {
        attempts = [];
        error = null;
        var preferences = request.Provider;
        var exclusions = new SortedSet<string>(StringComparer.Ordinal);
        var circuitOpen = 0;

        for (var i = 0; i < request.Models.Count; i++)
        {
            var param = i == 0 && request.Has("model") ? "model" : "models";
            if (!RequestedModel.TryParse(request.Models[i], out var requested))
            {
                error = ApiError.BadRequest(
                    $"Model variant ':{requested.Suffix}' in '{request.Models[i]}' is not supported; use :free, :nitro or :floor.", param);
                return false;
            }
            if (catalog.FindModel(requested.Id) is not { } model)
            {
                error = new ApiError(StatusCodes.Status400BadRequest,
                    $"'{request.Models[i]}' is not a valid model ID. See GET /api/v1/models for the models this gateway serves.",
                    new ErrorMetadata { ErrorType = "model_not_found", Param = param });
                return false;
            }

            var sort = preferences.Sort ?? requested.Variant switch
            {
                ModelVariant.Nitro => ProviderSort.Throughput,
                ModelVariant.Floor => ProviderSort.Price,
                _ => (ProviderSort?)null,
            };
            var candidates = new List<Candidate>(model.Endpoints.Length);
            foreach (var endpoint in model.Endpoints)
            {
                if (EndpointFilter.Exclusion(endpoint, request, requested.Variant) is { } reason)
                {
                    exclusions.Add(reason);
                    continue;
                }
                var availability = health.Availability(endpoint);
                if (availability == EndpointAvailability.Open)
                {
                    circuitOpen++;
                    continue;
                }
                candidates.Add(new Candidate(endpoint, availability, providers[endpoint.Provider].IsConfigured, health[endpoint]));
            }

            var publicId = requested.PublicId(model);
            foreach (var candidate in Order(candidates, preferences, sort))
            {
                attempts.Add(new RouteAttempt(candidate.Endpoint, publicId));
            }
        }

        if (preferences.SortAcrossModels && preferences.Sort is { } across && request.Models.Count > 1)
        {
            attempts = [.. attempts.OrderBy(a => SortKey(a.Endpoint, across))];
        }

        if (attempts.Count == 0)
        {
            error = NoEndpoints(request, exclusions, circuitOpen);
            return false;
        }
        return true;
    }

    private static List<Candidate> Order(List<Candidate> candidates, ProviderPreferences preferences, ProviderSort? sort)
    {
        List<Candidate> ordered;
        if (preferences.Order is { } order)
        {
            // Strict order for the named providers; the others follow only when fallbacks are allowed.
            var named = order.SelectMany(name => candidates.Where(c => EndpointFilter.Matches(c.Endpoint, name))).Distinct().ToList();
            var rest = candidates.Except(named);
            ordered = [.. named.OrderBy(c => !c.Configured), .. preferences.AllowFallbacks ? Rank(rest, sort) : []];
        }
        else
        {
            ordered = Rank(candidates, sort);
            if (!preferences.AllowFallbacks && ordered.Count > 1)
            {
                ordered = [ordered[0]];
            }
        }
        return ordered;
    }

    /// <summary>Configured before unconfigured, healthy before recently failed; within each group by sort key or weighted price.</summary>
    private static List<Candidate> Rank(IEnumerable<Candidate> candidates, ProviderSort? sort)
    {
        var groups = candidates
            .GroupBy(c => (Unconfigured: !c.Configured, Degraded: c.Availability == EndpointAvailability.Degraded))
            .OrderBy(g => g.Key.Unconfigured).ThenBy(g => g.Key.Degraded);
        var ranked = new List<Candidate>();
        var first = true;
        foreach (var group in groups)
        {
            var members = sort is { } by
                ? group.OrderBy(c => SortKey(c.Endpoint, by, c.Health)).ThenBy(c => c.Endpoint.Pricing.Blended).ToList()
                : PriceWeighted(group.ToList(), pickFirst: first);
            ranked.AddRange(members);
            first = false;
        }
        return ranked;
    }

    private double SortKey(CatalogEndpoint endpoint, ProviderSort sort) => SortKey(endpoint, sort, health[endpoint]);

    private static double SortKey(CatalogEndpoint endpoint, ProviderSort sort, EndpointHealth stats) => sort switch
    {
        ProviderSort.Price => (double)endpoint.Pricing.Blended,
        // Unmeasured endpoints rank after measured ones: the live figures are the point of these sorts.
        ProviderSort.Throughput => stats.TokensPerSecond is { } tps ? -tps : double.MaxValue,
        ProviderSort.Latency => stats.LatencyMs ?? double.MaxValue,
        _ => 0,
    };

    /// <summary>
    /// OpenRouter's default: the first endpoint is drawn at random with weight 1/price², so a $1 endpoint is
    /// picked nine times as often as a $3 one; the rest follow cheapest first. Weights are probabilities, not money.
    /// </summary>
    private static List<Candidate> PriceWeighted(List<Candidate> group, bool pickFirst)
    {
        var byPrice = group.OrderBy(c => c.Endpoint.Pricing.Blended).ToList();
        if (!pickFirst || byPrice.Count < 2)
        {
            return byPrice;
        }
        var weights = byPrice.Select(c => 1.0 / Math.Pow(Math.Max((double)c.Endpoint.Pricing.Blended, 1e-3), 2)).ToArray();
        var draw = Random.Shared.NextDouble() * weights.Sum();
        var chosen = 0;
        for (; chosen < weights.Length - 1; chosen++)
        {
            draw -= weights[chosen];
            if (draw < 0)
            {
                break;
            }
        }
        var pick = byPrice[chosen];
        byPrice.RemoveAt(chosen);
        byPrice.Insert(0, pick);
        return byPrice;
    }

    private static ApiError NoEndpoints(ChatRequest request, SortedSet<string> exclusions, int circuitOpen)
    {
        var models = string.Join(", ", request.Models);
        if (circuitOpen > 0 && exclusions.Count == 0)
        {
            return new ApiError(StatusCodes.Status503ServiceUnavailable,
                $"Every provider of {models} failed repeatedly and is paused for a short cool-down. Retry shortly.",
                new ErrorMetadata { ErrorType = "provider_unavailable", RequestedModels = request.Models })
            { RetryAfterSeconds = 5 };
        }
        var why = exclusions.Count == 0 ? "" : $" (excluded by {string.Join(", ", exclusions)})";
        return new ApiError(StatusCodes.Status404NotFound,
            $"No endpoints found for {models} that match your routing constraints{why}.",
            new ErrorMetadata { ErrorType = "no_endpoints", RequestedModels = request.Models, ExcludedBy = [.. exclusions] });
    }

    private sealed record Candidate(CatalogEndpoint Endpoint, EndpointAvailability Availability, bool Configured, EndpointHealth Health);
}
