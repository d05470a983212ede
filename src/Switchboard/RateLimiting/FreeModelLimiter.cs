using Switchboard.Api;
using Switchboard.Keys;

namespace Switchboard.RateLimiting;

/// <summary>
/// OpenRouter's limits on <c>:free</c> variants, per account: 20 a minute, and 50 a UTC day, or 1000 once the
/// account has bought 10 credits or more. The minute is checked first, so a request refused by it does not use
/// up the day.
/// </summary>
internal sealed class FreeModelLimiter(RateLimitOptions options, TimeProvider time)
{
    private readonly FixedWindowCounter _perMinute = new(TimeSpan.FromMinutes(1), time);
    private readonly FixedWindowCounter _perDay = new(TimeSpan.FromDays(1), time);

    /// <returns>The 429 to send, or null when the request may go ahead.</returns>
    public ApiError? TryAcquire(CallerKey key, decimal totalPurchased)
    {
        var minute = _perMinute.TryAcquire(key.AccountId, options.FreeRequestsPerMinute);
        if (!minute.Allowed)
        {
            return Refuse(minute, "openrouter_free_tier_minute",
                $"Rate limit exceeded: free-models-per-min. At most {options.FreeRequestsPerMinute} requests a minute go to free models.");
        }
        var unlocked = totalPurchased >= options.FreeDailyUnlockCredits;
        var daily = DailyLimit(totalPurchased);
        var day = _perDay.TryAcquire(key.AccountId, daily);
        if (day.Allowed)
        {
            return null;
        }
        var message = unlocked
            ? "Rate limit exceeded: free-models-per-day."
            : $"Rate limit exceeded: free-models-per-day. Add {options.FreeDailyUnlockCredits} credits to unlock {options.FreeRequestsPerDayUnlocked} free model requests per day";
        return Refuse(day, "openrouter_free_tier_daily", message);
    }

    /// <summary>The account's <c>:free</c> requests this UTC day (this process's count) against its daily allowance.</summary>
    public (int Limit, int Used) Today(long accountId, decimal totalPurchased) =>
        (DailyLimit(totalPurchased), _perDay.Count(accountId));

    private int DailyLimit(decimal totalPurchased) =>
        totalPurchased >= options.FreeDailyUnlockCredits ? options.FreeRequestsPerDayUnlocked : options.FreeRequestsPerDay;

    private static ApiError Refuse(WindowDecision decision, string limitSource, string message) =>
        new(StatusCodes.Status429TooManyRequests, message,
            new ErrorMetadata { ErrorType = "rate_limit_exceeded", LimitSource = limitSource, Headers = decision.Headers() })
        { RetryAfterSeconds = decision.RetryAfterSeconds };
}
