using Switchboard.Api;
using Switchboard.Keys;

namespace Switchboard.RateLimiting;

/// <summary>
/// Requests per minute per inference key: the key's own <c>requests_per_minute</c>, else (and at most)
/// <c>Switchboard:RateLimits:RequestsPerMinute</c>; 0 is unlimited.
/// </summary>
internal sealed class KeyRateLimiter(RateLimitOptions options, TimeProvider time)
{
    private readonly FixedWindowCounter _perMinute = new(TimeSpan.FromMinutes(1), time);

    /// <returns>The 429 to send, or null when the request may go ahead.</returns>
    public ApiError? TryAcquire(CallerKey key)
    {
        var limit = key.RequestsPerMinuteUnder(options.RequestsPerMinute); // the key's own requests_per_minute, never above the gateway's
        if (limit <= 0)
        {
            return null;
        }
        var decision = _perMinute.TryAcquire(key.Id, limit);
        return decision.Allowed ? null : new ApiError(StatusCodes.Status429TooManyRequests,
            $"Rate limit exceeded: {limit} requests per minute for this key. Retry after {decision.RetryAfterSeconds} s.",
            new ErrorMetadata { ErrorType = "rate_limit_exceeded", LimitSource = "key_requests_per_minute", Headers = decision.Headers() })
        { RetryAfterSeconds = decision.RetryAfterSeconds };
    }
}
