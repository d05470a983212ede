namespace Switchboard.Security;

/// <summary>
/// Checks the key ring again every minute (<see cref="KeyRingHealth"/>), so readiness follows keys another replica
/// added, or a ring that became readable again, without a restart. The start-up check is <see cref="KeyRingStartup"/>'s.
/// </summary>
internal sealed partial class KeyRingWatch(KeyRingHealth health, TimeProvider time, ILogger<KeyRingWatch> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var before = health.Problem;
            try
            {
                // The check is synchronous (data protection's repository interface is); keep it off the timer's thread.
                await Task.Run(() => health.Check(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store unreachable: readiness reports the database; keep the last answer about the ring.
                Log.CheckFailed(logger, ex.GetType().Name);
                continue;
            }
            if (health.Problem is { } problem && problem != before)
            {
                Log.Unreadable(logger, problem);
            }
            else if (health.Problem is null && before is not null)
            {
                Log.Readable(logger);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Key ring: {Problem}")]
        public static partial void Unreadable(ILogger logger, string problem);

        [LoggerMessage(2, LogLevel.Information, "Key ring: every stored data-protection key can be decrypted on this replica again.")]
        public static partial void Readable(ILogger logger);

        [LoggerMessage(3, LogLevel.Warning, "Key ring check failed ({Error}); the last answer stands.")]
        public static partial void CheckFailed(ILogger logger, string error);
    }
}
