using Switchboard.Catalog;
using Switchboard.Health;
using Switchboard.Keys;
using Switchboard.Providers;

namespace Switchboard.Web;

/// <summary>
/// <c>GET /web/providers</c>: each provider of the catalog and every endpoint's health over the last hour and day
/// (state, error rate, latency, throughput), for any account; whether the gateway's credential is set (masked), and
/// which setting is missing, only for the operator.
/// </summary>
internal static class WebProvidersApi
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static IEndpointRouteBuilder MapWebProviders(this IEndpointRouteBuilder app)
    {
        app.MapGet("/web/providers", (HttpContext context, ModelCatalog catalog, ProviderRegistry providers, EndpointHealthRegistry health) =>
        {
            var isOperator = context.CallerKey().IsAdminAccount;
            return Api.ApiResults.Json(new WebProviderHealthList([.. catalog.Providers.Select(p => Describe(p, providers[p], catalog, health, isOperator))]));
        }).RequireKey(KeyRequirement.Management);
        return app;
    }

    private static WebProviderHealth Describe(ProviderInfo info, ProviderRuntime provider, ModelCatalog catalog, EndpointHealthRegistry health, bool isOperator) => new(
        info.Slug,
        provider.DisplayName,
        info.Protocol,
        provider.IsConfigured,
        isOperator ? provider.Credential?.Masked : null,
        isOperator ? provider.MissingSetting : null,
        provider.IsByok,
        [.. catalog.Endpoints.Where(e => e.Provider.Slug == info.Slug).Select(e => Endpoint(e, provider, health))]);

    private static WebEndpointHealth Endpoint(CatalogEndpoint endpoint, ProviderRuntime provider, EndpointHealthRegistry health)
    {
        var stats = health[endpoint].Snapshot(Window);
        var state = health.State(endpoint, provider.IsConfigured, stats) switch
        {
            EndpointState.NotConfigured => "not_configured",
            EndpointState.CircuitOpen => "circuit_open",
            EndpointState.Degraded => "degraded",
            _ => "healthy",
        };
        return new WebEndpointHealth(endpoint.Model.Id, endpoint.Tag, state, stats.Uptime1h is { } up ? Math.Round(100 - up, 2) : null,
            stats.Uptime1d, stats.Latency?.P50, stats.Throughput?.P50);
    }
}

internal sealed record WebProviderHealthList(IReadOnlyList<WebProviderHealth> Data);

/// <summary>
/// <c>Credential</c> is masked (<see cref="ProviderCredential.Masked"/>); <c>MissingSetting</c> names what to set when absent.
/// Both are null for anyone but the operator.
/// </summary>
internal sealed record WebProviderHealth(
    string Slug, string Name, string Protocol, bool Configured, string? Credential, string? MissingSetting, bool Byok, IReadOnlyList<WebEndpointHealth> Endpoints);

/// <summary>One endpoint's health: <c>ErrorRate1h</c> in percent of requests, latency in ms, throughput in tokens/s; null without traffic.</summary>
internal sealed record WebEndpointHealth(
    string Model, string Tag, string State, double? ErrorRate1h, double? Uptime1d, double? LatencyP50, double? ThroughputP50);
