using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.Generations;

namespace Switchboard.Billing;

internal static class BillingServiceCollectionExtensions
{
    /// <summary>
    /// Pricing and credit holds; the in-memory credit book and the journal that writes money and generation records
    /// behind the requests; the ledger in the store. Register after <c>AddInstances</c>: hosted services stop in
    /// reverse order, and the instance must deregister after the journal has drained.
    /// </summary>
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Billing);
        services.AddSingleton<BillingRates>();
        services.AddSingleton<CostCalculator>();
        services.AddSingleton<CreditHoldEstimator>();
        services.AddSingleton<PromptTokenCounter>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<CreditBook>();
        services.AddSingleton<SqliteJournalConnection>();
        services.AddSingleton<JournalWriter>();
        services.AddSingleton<SettlementLog>();
        services.AddSingleton<SettlementLogReplay>();
        services.AddSingleton<LedgerJournal>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerJournal>());
        services.AddSingleton<LedgerAudit>();
        // Folds the activity rollup the journal appends into daily_usage.
        services.AddSingleton<DailyUsageCompactor>();
        services.AddHostedService(sp => sp.GetRequiredService<DailyUsageCompactor>());
        return services;
    }
}
