namespace Switchboard.Keys;

/// <summary><c>Switchboard:Authentication</c>: how many keys are kept in memory, and how wrong keys are throttled.</summary>
internal sealed class KeyAuthenticationOptions
{
    /// <summary>
    /// Wrong API keys one client address (an IPv6 client by its /64) may send in a UTC minute; after that, keys the
    /// gateway would have to look up get 429 until the minute ends. 0 turns the throttle off.
    /// </summary>
    public int FailuresPerMinute { get; set; } = 60;

    /// <summary>
    /// Client addresses each failure throttle (wrong keys; wrong operator passwords) counts in a minute; failures
    /// from further addresses go uncounted until the minute ends. About 100 bytes each (measured: 84).
    /// </summary>
    public int TrackedAddresses { get; set; } = 100_000;

    /// <summary>
    /// Keys kept in memory, so that using one costs no database query. Beyond this an arbitrary tenth is dropped and
    /// loaded again on next use. About 400 bytes each: the default, a million, is some 400 MB when full.
    /// </summary>
    public int KeyCacheSize { get; set; } = 1_000_000;

    /// <summary>Hashes that matched no key, remembered for a second so a client retrying a bad key costs no query each time.</summary>
    public int UnknownKeyCacheSize { get; set; } = 10_000;
}
