using Switchboard.Catalog;
using Switchboard.Health;
using Switchboard.Keys;
using Switchboard.Providers;

namespace Switchboard.Web;

/// <summary>
/// <c>GET /web/providers</c> (operator only): each configured provider, whether its credential is set (masked),
/// and every endpoint's health over the last hour and day: state, error rate, latency, throughput.
/// </summary>
internal static class WebProvidersApi
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static IEndpointRouteBuilder MapWebProviders(this IEndpointRouteBuilder app)
    {
        app.MapGet("/web/providers", (ModelCatalog catalog, ProviderRegistry providers, EndpointHealthRegistry health) =>
            Api.ApiResults.Json(new WebProviderHealthList([.. catalog.Providers.Select(p => Describe(p, providers[p], catalog, health))])))
            .RequireKey(KeyRequirement.Admin);
        return app;
    }

    private static WebProviderHealth Describe(ProviderInfo info, ProviderRuntime provider, ModelCatalog catalog, EndpointHealthRegistry health) => new(
        info.Slug,
        provider.DisplayName,
        info.Protocol,
        provider.IsConfigured,
        provider.Credential?.Masked,
        provider.MissingSetting,
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

/// <summary><c>Credential</c> is masked (<see cref="ProviderCredential.Masked"/>); <c>MissingSetting</c> names what to set when absent.</summary>
internal sealed record WebProviderHealth(
    string Slug, string Name, string Protocol, bool Configured, string? Credential, string? MissingSetting, bool Byok, IReadOnlyList<WebEndpointHealth> Endpoints);

/// <summary>One endpoint's health: <c>ErrorRate1h</c> in percent of requests, latency in ms, throughput in tokens/s; null without traffic.</summary>
internal sealed record WebEndpointHealth(
    string Model, string Tag, string State, double? ErrorRate1h, double? Uptime1d, double? LatencyP50, double? ThroughputP50);
