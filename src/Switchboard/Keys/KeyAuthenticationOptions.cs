namespace Switchboard.Keys;

/// <summary><c>Switchboard:Authentication</c>: how many keys are kept in memory, and how failures are throttled.</summary>
internal sealed class KeyAuthenticationOptions
{
    /// <summary>
    /// Client addresses each failure throttle counts in a minute; failures from further addresses go uncounted until
    /// the minute ends. About 50 bytes each.
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
