namespace Switchboard.Settings;

internal static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Account settings (data policy, default model, own provider keys) cached per account for the request path,
    /// and the operator's billing rates; both kept current across replicas by one watcher.
    /// </summary>
    public static IServiceCollection AddSettings(this IServiceCollection services)
    {
        services.AddSingleton<ProviderKeyProtector>();
        services.AddSingleton<AccountProfiles>();
        services.AddHostedService<SettingsChangeWatcher>();
        return services;
    }
}
