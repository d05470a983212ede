using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>The worst-case cost a request may incur: what to hold on the account, and against the key's limit.</summary>
internal readonly record struct CreditHold(decimal AccountAmount, decimal KeyAmount);

/// <summary>Credit held for one generation until it is settled or released.</summary>
internal sealed record Reservation(string GenerationId, CallerKey Key, decimal AccountAmount, decimal KeyAmount);

internal enum ShortfallSource
{
    /// <summary>The account's balance, less what is already held, does not cover the request.</summary>
    Credits,

    /// <summary>The key's remaining limit does not cover the request.</summary>
    KeyLimit,
}

/// <summary>A reservation, or what fell short and how much was left.</summary>
internal readonly record struct ReservationResult(Reservation? Reservation, ShortfallSource Source, decimal Available)
{
    public static ReservationResult Held(Reservation reservation) => new(reservation, default, 0m);

    public static ReservationResult Short(ShortfallSource source, decimal available) => new(null, source, available);
}
