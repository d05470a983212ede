namespace Switchboard.RateLimiting;

/// <summary><c>Switchboard:RateLimits</c>: request and token rates per key, and OpenRouter's limits on <c>:free</c> models.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>Requests per minute one inference key may make, across the fleet; 0 turns the limit off.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary>Tokens (prompt and completion, as billed) per UTC minute one inference key may use, across the fleet; 0 turns the limit off.</summary>
    public long TokensPerMinute { get; set; }

    /// <summary><c>:free</c> requests per minute per account.</summary>
    public int FreeRequestsPerMinute { get; set; } = 20;

    /// <summary><c>:free</c> requests per UTC day per account that has bought less than <see cref="FreeDailyUnlockCredits"/>.</summary>
    public int FreeRequestsPerDay { get; set; } = 50;

    /// <summary><c>:free</c> requests per UTC day once the account has bought <see cref="FreeDailyUnlockCredits"/> or more.</summary>
    public int FreeRequestsPerDayUnlocked { get; set; } = 1000;

    /// <summary>USD of credits bought over the account's life that unlock <see cref="FreeRequestsPerDayUnlocked"/>.</summary>
    public decimal FreeDailyUnlockCredits { get; set; } = 10m;

    /// <summary>
    /// How long a request waits for the store's answer on a limit before this process decides alone (its share of
    /// the limit; see docs/security.md).
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each replica writes the tokens its generations settled, and at most how stale its view of a key's fleet-wide count may be.</summary>
    public TimeSpan TokenSyncInterval { get; set; } = TimeSpan.FromSeconds(1);
}
