using Switchboard.Health;

namespace Switchboard.Routing;

internal static class RoutingServiceCollectionExtensions
{
    /// <summary>Endpoint health tracking and the route planner.</summary>
    public static IServiceCollection AddProviderRouting(this IServiceCollection services)
    {
        services.AddSingleton<EndpointHealthRegistry>();
        services.AddSingleton<AutoRouter>();
        services.AddSingleton<RoutePlanner>();
        services.AddHostedService<AutoRouterStartupCheck>();
        return services;
    }
}
