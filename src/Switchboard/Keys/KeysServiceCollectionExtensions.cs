namespace Switchboard.Keys;

internal static class KeysServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<AuthenticationThrottle>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyViews>();
        services.AddHostedService<ApiKeyChangeWatcher>();
        return services;
    }
}
