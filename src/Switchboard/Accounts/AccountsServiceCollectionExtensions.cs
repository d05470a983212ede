namespace Switchboard.Accounts;

internal static class AccountsServiceCollectionExtensions
{
    /// <summary>Accounts and the first-start admin bootstrap (which must run after the database is migrated).</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<AccountAdministration>();
        services.AddHostedService<AdminBootstrap>();
        return services;
    }
}
