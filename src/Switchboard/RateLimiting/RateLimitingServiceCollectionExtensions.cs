using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.RateLimiting;

internal static class RateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.RateLimits);
        services.AddSingleton<KeyRateLimiter>();
        services.AddSingleton<FreeModelLimiter>();
        return services;
    }
}
