using Switchboard.Billing;

namespace Switchboard.Instances;

/// <summary>
/// This process's life as an instance. At start, before any request, it replays the settlement logs dead processes
/// left (<see cref="SettlementLogReplay"/>), registers its identity (and releases leases a previous version of this
/// machine left). Then every <see cref="BillingOptions.HeartbeatInterval"/> it beats, replays what dead processes left
/// since, reclaims instances found dead (<see cref="InstanceObserver"/>), and marks long-running generations; and
/// every half <see cref="BillingOptions.IdleLeaseReturn"/> it gives back leases no request uses. At a graceful stop it
/// stops last: after the requests have ended and the journal has written their charges and the returned leases,
/// it deregisters, releasing whatever lease remains.
/// </summary>
internal sealed partial class InstanceLifecycle(
    InstanceStore instances,
    InstanceIdentity identity,
    SettlementLogReplay replay,
    InFlightRegistry inFlight,
    CreditBook book,
    BillingOptions options,
    TimeProvider time,
    ILogger<InstanceLifecycle> logger) : BackgroundService
{
    private readonly Lock _stopping = new();
    private Task? _stopped;
    private volatile bool _registered;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        identity.Forfeited += _ => _registered = false;
        await ReplayAsync(cancellationToken).ConfigureAwait(false);
        await instances.RegisterAsync(identity.Current, identity.Name).ConfigureAwait(false);
        _registered = true;
        Log.Registered(logger, identity.Current);
        var legacy = await instances.ReleaseLegacyLeasesAsync(identity.Name).ConfigureAwait(false);
        if (legacy > 0)
        {
            Log.LegacyReleased(logger, legacy);
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchAsync(stoppingToken), ReturnIdleLeasesAsync(stoppingToken));

    /// <summary>
    /// Deregisters once, however often the host asks. A host started by a test's WebApplicationFactory is stopped twice
    /// at once (by the factory, and by the application's own <c>Run</c>, which then disposes the services): the
    /// second call must wait for the first rather than write to a store already being disposed.
    /// </summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopping)
        {
            return _stopped ??= StopOnceAsync(cancellationToken);
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var ended = await instances.DeregisterAsync(identity.Current).ConfigureAwait(false);
        Log.Deregistered(logger, identity.Current, ended?.Leases ?? 0, ended?.Interrupted ?? 0);
    }

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var observer = new InstanceObserver(time, options.OwnerTimeout);
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await BeatAsync(stoppingToken).ConfigureAwait(false);
                // What the dead completed goes in before their leases are given back and their generations interrupted.
                await ReplayAsync(stoppingToken).ConfigureAwait(false);
                foreach (var dead in observer.Observe(await instances.BeatsAsync(stoppingToken).ConfigureAwait(false), identity.Current))
                {
                    if (await instances.ReclaimAsync(dead.Id, dead.Beat).ConfigureAwait(false) is { } ended)
                    {
                        Log.Reclaimed(logger, dead.Id, ended.Leases, ended.Amount, ended.Interrupted);
                    }
                }
                inFlight.MarkLongRunning();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.WatchFailed(logger, ex);
            }
        }
    }

    /// <summary>
    /// Replays the settlement logs of dead processes; a failure is logged and tried again at the next beat. Reclaims
    /// go ahead regardless: charges replayed after their instance's leases were given back take only the credit their
    /// account has free, the rest booked uncollected, as for any instance taken for dead (fencing), so no balance
    /// goes below zero whichever comes first.
    /// </summary>
    private async Task ReplayAsync(CancellationToken cancellationToken)
    {
        try
        {
            await replay.ReplayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ReplayFailed(logger, ex);
        }
    }

    /// <summary>Beats; registers afresh when the identity was forfeited (by a batch, or found here).</summary>
    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        var current = identity.Current;
        if (_registered && !await instances.BeatAsync(current, stoppingToken).ConfigureAwait(false))
        {
            Log.Forfeited(logger, current);
            identity.Forfeit(current);
        }
        if (!_registered)
        {
            await instances.RegisterAsync(identity.Current, identity.Name).ConfigureAwait(false);
            _registered = true;
            Log.Registered(logger, identity.Current);
        }
    }

    private async Task ReturnIdleLeasesAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.IdleLeaseReturn / 2, time);
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            book.ReturnIdleLeases();
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Registered as instance {Identity}.")]
        public static partial void Registered(ILogger logger, string identity);

        [LoggerMessage(2, LogLevel.Warning, "Released {Count} lease(s) left by an earlier version of this instance.")]
        public static partial void LegacyReleased(ILogger logger, int count);

        [LoggerMessage(3, LogLevel.Warning, "Instance {Identity} stopped beating: released {Leases} lease(s) ({Amount} USD) and recorded {Interrupted} interrupted generation(s).")]
        public static partial void Reclaimed(ILogger logger, string identity, int leases, decimal amount, int interrupted);

        [LoggerMessage(4, LogLevel.Critical, "Instance {Identity} was taken for dead by another replica (its heartbeat stalled past OwnerTimeout); continuing under a fresh identity.")]
        public static partial void Forfeited(ILogger logger, string identity);

        [LoggerMessage(5, LogLevel.Warning, "Could not beat or look for dead instances; will try again.")]
        public static partial void WatchFailed(ILogger logger, Exception exception);

        [LoggerMessage(7, LogLevel.Error, "Could not replay the settlement logs dead processes left; will try again at the next heartbeat.")]
        public static partial void ReplayFailed(ILogger logger, Exception exception);

        [LoggerMessage(6, LogLevel.Information, "Deregistered instance {Identity}: {Leases} lease(s) released, {Interrupted} generation(s) interrupted.")]
        public static partial void Deregistered(ILogger logger, string identity, int leases, int interrupted);
    }
}
