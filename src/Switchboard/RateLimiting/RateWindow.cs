namespace Switchboard.RateLimiting;

/// <summary>
/// One fixed window of one limit, shared by every replica (<c>rate_windows</c>): how much of the window's budget has
/// been granted (requests leased by replicas, or tokens counted). Windows are aligned to the UTC clock, so every
/// replica names the same window the same way, and a restart finds the count where it was.
/// </summary>
internal sealed class RateWindow
{
    /// <summary>What is limited, and for whom: <c>key-rpm:12</c>, <c>free-day:3</c>, <c>signin:…</c>, <c>key-tpm:12</c>.</summary>
    public required string Scope { get; set; }

    /// <summary>The window's start, in Unix seconds (an integer on both providers, so equality is exact).</summary>
    public long WindowStart { get; set; }

    /// <summary>Units granted in the window across the fleet; never above the limit for leased windows.</summary>
    public long Count { get; set; }

    /// <summary>What the last lease granted (the statement returns it, since <c>RETURNING</c> sees only new values).</summary>
    public long LastGrant { get; set; }

    /// <summary>The window's end, in Unix seconds: the sweep deletes rows past it.</summary>
    public long ExpiresAt { get; set; }
}
