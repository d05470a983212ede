namespace Switchboard.Billing;

/// <summary>
/// Keeps leases honest. At start-up, before any request is served, it releases every lease this instance held
/// when it last stopped (a crash cannot have returned them). While running it gives back leases no request has
/// used for a while, so idle credit is free for other replicas, and releases leases of any instance untouched
/// long enough to be abandoned. At shutdown it returns what no request in flight holds.
/// </summary>
internal sealed partial class LeaseRecovery(CreditLedger ledger, CreditBook book, LedgerJournal journal, BillingOptions options, TimeProvider time, ILogger<LeaseRecovery> logger)
    : BackgroundService
{
    private static readonly TimeSpan AbandonedSweepInterval = TimeSpan.FromMinutes(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var released = await ledger.ReleaseLeasesAsync(options.InstanceId);
        if (released > 0)
        {
            Log.Recovered(logger, released, options.InstanceId);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.IdleLeaseReturn / 2, time);
        var nextSweep = time.GetUtcNow() + AbandonedSweepInterval;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            book.ReturnIdleLeases();
            if (time.GetUtcNow() < nextSweep)
            {
                continue;
            }
            nextSweep = time.GetUtcNow() + AbandonedSweepInterval;
            try
            {
                await ledger.ReleaseLeasesAsync(instance: null, idleBefore: time.GetUtcNow().UtcDateTime - options.AbandonedLeaseAfter);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.SweepFailed(logger, ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var lease in book.TakeUnheldLeases())
        {
            journal.Append(lease);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Released {Count} lease(s) instance {Instance} held when it stopped; generations it had not journaled are not charged.")]
        public static partial void Recovered(ILogger logger, int count, string instance);

        [LoggerMessage(2, LogLevel.Warning, "Could not sweep abandoned leases; will try again.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
