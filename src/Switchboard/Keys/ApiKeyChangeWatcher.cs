using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.Keys;

/// <summary>
/// Polls for keys changed by anyone (another replica, the command line) and evicts them from the cache, so a
/// disabled or deleted key stops working within a second everywhere. The window overlaps the previous poll
/// generously, to tolerate clocks that differ between replicas.
/// </summary>
internal sealed partial class ApiKeyChangeWatcher(SwitchboardStore store, ApiKeyCache cache, TimeProvider time, ILogger<ApiKeyChangeWatcher> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

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
                var changed = await db.ApiKeys.Where(k => k.UpdatedAt >= since).Select(k => k.Hash).ToListAsync(stoppingToken).ConfigureAwait(false);
                foreach (var hash in changed)
                {
                    cache.Evict(hash);
                }
                since = now - Overlap;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PollFailed(logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not check for changed API keys; cached keys stay as they are until the next poll.")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
