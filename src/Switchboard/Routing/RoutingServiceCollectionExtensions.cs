using Switchboard.Health;

namespace Switchboard.Routing;

internal static class RoutingServiceCollectionExtensions
{
    /// <summary>Endpoint health tracking (shared across replicas on PostgreSQL) and the route planner.</summary>
    public static IServiceCollection AddProviderRouting(this IServiceCollection services)
    {
        services.AddSingleton<FleetHealthOutbox>();
        services.AddSingleton<EndpointHealthRegistry>();
        services.AddHostedService<FleetHealthExchange>();
        services.AddSingleton<AutoRouter>();
        services.AddSingleton<RoutePlanner>();
        services.AddHostedService<AutoRouterStartupCheck>();
        return services;
    }
}
