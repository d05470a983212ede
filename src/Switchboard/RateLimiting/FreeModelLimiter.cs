using System.Globalization;
using Switchboard.Api;
using Switchboard.Keys;

namespace Switchboard.RateLimiting;

/// <summary>
/// OpenRouter's limits on <c>:free</c> variants, per account and for the whole fleet: 20 a minute, and 50 a UTC
/// day, or 1000 once the account has bought 10 credits or more. The minute is checked first, so a request refused by
/// it does not use up the day.
/// </summary>
internal sealed class FreeModelLimiter(RateLimitOptions options, IRateWindows windows, FleetSize fleet, TimeProvider time, ILogger<FreeModelLimiter> logger)
{
    private readonly FleetWindowCounter<long> _perMinute = new("free models per minute", TimeSpan.FromMinutes(1),
        static id => "free-min:" + id.ToString(CultureInfo.InvariantCulture), windows, fleet, options.StoreTimeout, time, logger);

    private readonly FleetWindowCounter<long> _perDay = new("free models per day", TimeSpan.FromDays(1),
        static id => "free-day:" + id.ToString(CultureInfo.InvariantCulture), windows, fleet, options.StoreTimeout, time, logger);

    internal IEnumerable<Action> Pruners => [_perMinute.Prune, _perDay.Prune];

    /// <returns>The 429 to send, or null when the request may go ahead.</returns>
    public async ValueTask<ApiError?> TryAcquireAsync(CallerKey key, decimal totalPurchased, CancellationToken cancellationToken)
    {
        var minute = await _perMinute.TryAcquireAsync(key.AccountId, options.FreeRequestsPerMinute, cancellationToken).ConfigureAwait(false);
        if (!minute.Allowed)
        {
            return minute.Refusal("openrouter_free_tier_minute",
                $"Rate limit exceeded: free-models-per-min. At most {options.FreeRequestsPerMinute} requests a minute go to free models.");
        }
        var unlocked = totalPurchased >= options.FreeDailyUnlockCredits;
        var day = await _perDay.TryAcquireAsync(key.AccountId, DailyLimit(totalPurchased), cancellationToken).ConfigureAwait(false);
        if (day.Allowed)
        {
            return null;
        }
        return day.Refusal("openrouter_free_tier_daily", unlocked
            ? "Rate limit exceeded: free-models-per-day."
            : $"Rate limit exceeded: free-models-per-day. Add {options.FreeDailyUnlockCredits} credits to unlock {options.FreeRequestsPerDayUnlocked} free model requests per day");
    }

    /// <summary>The account's <c>:free</c> requests this UTC day across the fleet, against its daily allowance.</summary>
    public async Task<(int Limit, int Used)> TodayAsync(long accountId, decimal totalPurchased, CancellationToken cancellationToken)
    {
        var limit = DailyLimit(totalPurchased);
        var used = await _perDay.CountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return (limit, (int)Math.Min(used, int.MaxValue));
    }

    private int DailyLimit(decimal totalPurchased) =>
        totalPurchased >= options.FreeDailyUnlockCredits ? options.FreeRequestsPerDayUnlocked : options.FreeRequestsPerDay;
}
