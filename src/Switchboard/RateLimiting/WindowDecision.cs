using System.Globalization;
using Switchboard.Api;

namespace Switchboard.RateLimiting;

/// <summary>A limiter's answer for one request, with what OpenRouter reports about the window.</summary>
internal readonly record struct WindowDecision(bool Allowed, long Limit, long Remaining, DateTimeOffset Reset, TimeSpan RetryAfter)
{
    /// <summary>OpenRouter's <c>X-RateLimit-*</c> trio; the reset is in epoch milliseconds.</summary>
    public IReadOnlyDictionary<string, string> Headers() => new Dictionary<string, string>
    {
        ["X-RateLimit-Limit"] = Limit.ToString(CultureInfo.InvariantCulture),
        ["X-RateLimit-Remaining"] = Remaining.ToString(CultureInfo.InvariantCulture),
        ["X-RateLimit-Reset"] = Reset.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    };

    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));

    /// <summary>The 429 for a refused request, naming the limit that refused it.</summary>
    public ApiError Refusal(string limitSource, string message) =>
        new(StatusCodes.Status429TooManyRequests, message,
            new ErrorMetadata { ErrorType = "rate_limit_exceeded", LimitSource = limitSource, Headers = Headers() })
        { RetryAfterSeconds = RetryAfterSeconds };
}

/// <summary>A fixed window aligned to the UTC clock (minutes start at :00, days at midnight), numbered from year 1.</summary>
internal readonly record struct ClockWindow(long Index, long Ticks)
{
    public static ClockWindow At(DateTimeOffset now, TimeSpan length) => new(now.UtcTicks / length.Ticks, length.Ticks);

    public DateTimeOffset Start => new(Index * Ticks, TimeSpan.Zero);

    public DateTimeOffset End => new((Index + 1) * Ticks, TimeSpan.Zero);

    /// <summary>The window of <paramref name="scope"/> as the store names it (Unix seconds).</summary>
    public WindowSpan Span(string scope) => new(scope, Start.ToUnixTimeSeconds(), End.ToUnixTimeSeconds());
}
