namespace Switchboard.Billing;

/// <summary>
/// Leaves no reservation hanging. At start-up, before any request is served, it releases every reservation this
/// instance held when it last stopped (a crash cannot have settled them); afterwards it periodically releases
/// reservations of any instance old enough to have been abandoned.
/// </summary>
internal sealed partial class ReservationRecovery(CreditLedger ledger, BillingOptions options, TimeProvider time, ILogger<ReservationRecovery> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var released = await ledger.ReleaseOpenAsync(options.InstanceId);
        if (released > 0)
        {
            Log.Recovered(logger, released, options.InstanceId);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ledger.ReleaseOpenAsync(instance: null, createdBefore: time.GetUtcNow().UtcDateTime - options.AbandonedReservationAfter);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.SweepFailed(logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Released {Count} reservation(s) instance {Instance} left open when it stopped; those generations are not charged.")]
        public static partial void Recovered(ILogger logger, int count, string instance);

        [LoggerMessage(2, LogLevel.Warning, "Could not sweep abandoned reservations; will try again.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
