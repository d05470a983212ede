using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Billing;

internal static class BillingServiceCollectionExtensions
{
    /// <summary>Pricing, the credit ledger, and the start-up release of reservations a crash left open.</summary>
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Billing);
        services.AddSingleton<CostCalculator>();
        services.AddSingleton<CreditHoldEstimator>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<LedgerAudit>();
        services.AddHostedService<ReservationRecovery>();
        return services;
    }
}
