using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.RateLimiting;

internal static class RateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.RateLimits);
        services.AddSingleton<RateWindowStore>();
        services.AddSingleton<IRateWindows>(sp => sp.GetRequiredService<RateWindowStore>());
        services.AddSingleton<FleetSize>();
        services.AddSingleton<KeyRateLimiter>();
        services.AddSingleton<KeyTokenLimiter>();
        services.AddSingleton<FreeModelLimiter>();
        services.AddHostedService<RateLimitUpkeep>();
        return services;
    }
}
