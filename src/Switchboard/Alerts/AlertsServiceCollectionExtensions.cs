using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Alerts;

internal static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// The monitor that records spend alerts behind the journal, and the webhook deliveries. Register before
    /// billing: hosted services stop in reverse order, so the journal drains first and the monitor still checks
    /// what its last batches charged; deliveries stop last, leaving unfinished ones pending for the next start.
    /// </summary>
    public static IServiceCollection AddSpendAlerts(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Alerts);
        services.AddSingleton(new ResolveHost(System.Net.Dns.GetHostAddressesAsync));
        services.AddSingleton(sp => new WebhookHostGuard(
            WebhookAllowList.Parse(sp.GetRequiredService<AlertsOptions>().AllowedWebhookHosts, "AllowedWebhookHosts"),
            sp.GetRequiredService<ResolveHost>()));
        services.AddSingleton<AlertWebhookSender>();
        services.AddSingleton<SpendAlertWebhooks>();
        services.AddHostedService(sp => sp.GetRequiredService<SpendAlertWebhooks>());
        services.AddSingleton<SpendAlertMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<SpendAlertMonitor>());
        return services;
    }
}
