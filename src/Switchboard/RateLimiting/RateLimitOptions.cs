namespace Switchboard.RateLimiting;

/// <summary><c>Switchboard:RateLimits</c>: request rates per key, and OpenRouter's limits on <c>:free</c> models.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>Requests per minute one inference key may make; 0 turns the limit off.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary><c>:free</c> requests per minute per account.</summary>
    public int FreeRequestsPerMinute { get; set; } = 20;

    /// <summary><c>:free</c> requests per UTC day per account that has bought less than <see cref="FreeDailyUnlockCredits"/>.</summary>
    public int FreeRequestsPerDay { get; set; } = 50;

    /// <summary><c>:free</c> requests per UTC day once the account has bought <see cref="FreeDailyUnlockCredits"/> or more.</summary>
    public int FreeRequestsPerDayUnlocked { get; set; } = 1000;

    /// <summary>USD of credits bought over the account's life that unlock <see cref="FreeRequestsPerDayUnlocked"/>.</summary>
    public decimal FreeDailyUnlockCredits { get; set; } = 10m;
}
