using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>The worst-case cost a request may incur: what to hold on the account, and against the key's limit.</summary>
internal readonly record struct CreditHold(decimal AccountAmount, decimal KeyAmount);

/// <summary>
/// Credit held in memory for one generation until it is settled: a part of the account's pool and, when the key
/// has a limit, of the key's pool.
/// </summary>
internal sealed record Reservation(string GenerationId, CallerKey Key, CreditHold Hold, CreditPool Account, CreditPool? KeyLimit);

internal enum ShortfallSource
{
    /// <summary>The account's balance, less what is already held, does not cover the request.</summary>
    Credits,

    /// <summary>The key's remaining limit does not cover the request.</summary>
    KeyLimit,

    /// <summary>The store could not be reached to lease more credit; nothing is known to be short.</summary>
    StoreUnavailable,
}

/// <summary>A reservation, or what fell short and how much was left.</summary>
internal readonly record struct ReservationResult(Reservation? Reservation, ShortfallSource Source, decimal Available)
{
    public static ReservationResult Held(Reservation reservation) => new(reservation, default, 0m);

    public static ReservationResult Short(ShortfallSource source, decimal available) => new(null, source, available);
}
