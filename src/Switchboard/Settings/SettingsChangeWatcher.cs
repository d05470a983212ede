using Microsoft.EntityFrameworkCore;
using Switchboard.Billing;
using Switchboard.Data;

namespace Switchboard.Settings;

/// <summary>
/// Keeps this replica's view of settings current: loads the operator's billing rates before the gateway serves
/// its first request, then polls for rates and account settings changed by anyone (another replica, another
/// process) and applies them, so a change takes effect everywhere within a second. Like the key watcher, each poll
/// overlaps the previous one generously, to tolerate clocks that differ between replicas.
/// </summary>
internal sealed partial class SettingsChangeWatcher(
    SwitchboardStore store, AccountProfiles profiles, BillingRates rates, TimeProvider time, ILogger<SettingsChangeWatcher> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services start after the database migrator and before Kestrel listens: no request is priced at stale rates.
        await using (var db = store.Read())
        {
            await LoadRatesAsync(db, cancellationToken).ConfigureAwait(false);
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = time.GetUtcNow().UtcDateTime - Overlap;
        using var timer = new PeriodicTimer(PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var now = time.GetUtcNow().UtcDateTime;
            try
            {
                await using var db = store.Read();
                await LoadRatesAsync(db, stoppingToken).ConfigureAwait(false);
                var changed = await db.Accounts.Where(a => a.SettingsUpdatedAt >= since).Select(a => a.Id).ToListAsync(stoppingToken).ConfigureAwait(false);
                foreach (var accountId in changed)
                {
                    profiles.Evict(accountId);
                }
                since = now - Overlap;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PollFailed(logger, ex);
            }
        }
    }

    private async Task LoadRatesAsync(SwitchboardDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.OperatorSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == OperatorSettings.SingletonId, cancellationToken).ConfigureAwait(false);
        rates.Apply(row?.Markup, row?.ByokFee);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not check for changed settings; this replica keeps its current rates and account settings until the next poll.")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
