using Switchboard.Health;

namespace Switchboard.Routing;

internal static class RoutingServiceCollectionExtensions
{
    /// <summary>Endpoint health tracking and the route planner.</summary>
    public static IServiceCollection AddProviderRouting(this IServiceCollection services)
    {
        services.AddSingleton<EndpointHealthRegistry>();
        services.AddSingleton<RoutePlanner>();
        return services;
    }
}
