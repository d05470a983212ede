using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Lifecycle;

internal static class LifecycleServiceCollectionExtensions
{
    /// <summary>
    /// The graceful stop: the drain, and a host shutdown timeout long enough for it (the drain, plus time for the
    /// journal to write what the last requests settled and for the instance to deregister). Registered after the
    /// journal, so it stops before it.
    /// </summary>
    public static IServiceCollection AddGracefulDrain(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Shutdown);
        services.AddSingleton<GenerationDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<GenerationDrain>());
        services.AddSingleton<ReadinessProbe>();
        services.AddOptions<HostOptions>().Configure<IOptions<SwitchboardOptions>>((host, switchboard) =>
            host.ShutdownTimeout = switchboard.Value.Shutdown.DrainTimeout + AfterDrain);
        return services;
    }

    /// <summary>Time the stop may take once the drain is over: the journal's last batches and deregistering.</summary>
    public static readonly TimeSpan AfterDrain = TimeSpan.FromSeconds(30);
}
