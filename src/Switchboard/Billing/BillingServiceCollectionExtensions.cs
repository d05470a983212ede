using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.Generations;

namespace Switchboard.Billing;

internal static class BillingServiceCollectionExtensions
{
    /// <summary>
    /// Pricing; the in-memory credit book and the journal that writes money and generation records behind the
    /// requests; the ledger in the store; and the recovery of leases a crash left open.
    /// </summary>
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Billing);
        services.AddSingleton<BillingRates>();
        services.AddSingleton<CostCalculator>();
        services.AddSingleton<CreditHoldEstimator>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<CreditBook>();
        services.AddSingleton<LedgerJournal>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerJournal>());
        services.AddSingleton<LedgerAudit>();
        // Folds the activity rollup the journal appends into daily_usage.
        services.AddSingleton<DailyUsageCompactor>();
        services.AddHostedService(sp => sp.GetRequiredService<DailyUsageCompactor>());
        // After the journal, so it stops first and its last lease returns are still drained by the journal.
        services.AddHostedService<LeaseRecovery>();
        return services;
    }
}
