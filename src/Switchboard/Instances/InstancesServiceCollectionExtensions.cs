namespace Switchboard.Instances;

internal static class InstancesServiceCollectionExtensions
{
    /// <summary>
    /// This process as one instance among the replicas sharing the store: its identity, its heartbeat, the
    /// reclaiming of dead instances, and the generations it runs. Register before <c>AddBilling</c>, so the instance
    /// is registered before the journal starts and deregistered after it stops.
    /// </summary>
    public static IServiceCollection AddInstances(this IServiceCollection services)
    {
        services.AddSingleton<InstanceIdentity>();
        services.AddSingleton<InstanceStore>();
        services.AddSingleton<InFlightRegistry>();
        services.AddHostedService<InstanceLifecycle>();
        return services;
    }
}
