namespace Switchboard.RateLimiting;

/// <summary>
/// The limits' background work: every <see cref="RateLimitOptions.TokenSyncInterval"/> the tokens settled here go to
/// the store; once a minute, windows that have ended are deleted (at most <see cref="SweepBatch"/> ×
/// <see cref="SweepBatches"/> rows a pass, so a backlog never makes one long statement), the fleet is counted
/// (<see cref="FleetSize"/>), and keys whose window has passed are forgotten in memory. At shutdown the tokens
/// settled since the last flush are written once more.
/// </summary>
internal sealed partial class RateLimitUpkeep(
    RateWindowStore store, KeyTokenLimiter tokens, KeyRateLimiter requests, FreeModelLimiter freeModels, FleetSize fleet,
    RateLimitOptions options, TimeProvider time, ILogger<RateLimitUpkeep> logger) : BackgroundService
{
    public const int SweepBatch = 1000;
    public const int SweepBatches = 10;
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = time.GetUtcNow() + TimeSpan.FromSeconds(5); // after the migrator has run
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.TokenSyncInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await tokens.FlushAsync(stoppingToken).ConfigureAwait(false);
            if (time.GetUtcNow() >= nextSweep)
            {
                nextSweep = time.GetUtcNow() + SweepEvery;
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        await tokens.FlushAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>One pass of the minute's chores; each failure is logged and left for the next pass.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            for (var batch = 0; batch < SweepBatches; batch++)
            {
                if (await store.SweepAsync(now, SweepBatch, cancellationToken).ConfigureAwait(false) < SweepBatch)
                {
                    break;
                }
            }
            fleet.Replicas = await store.CountInstancesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SweepFailed(logger, ex);
        }
        requests.Counter.Prune();
        foreach (var prune in freeModels.Pruners)
        {
            prune();
        }
        tokens.Prune();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not sweep ended rate-limit windows or count the fleet; trying again in a minute.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
