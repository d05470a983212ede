namespace Switchboard.Accounts;

/// <summary>
/// A tenant: owns a prepaid credit balance and API keys. <see cref="Balance"/> is the sum of the account's ledger
/// entries, kept on the row (in the same transaction as each entry) so a reservation can test it atomically.
/// </summary>
internal sealed class Account
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The operator's account: its management keys may create accounts and add credits.</summary>
    public bool IsAdmin { get; set; }

    /// <summary>USD. Always equals the sum of the account's ledger entries.</summary>
    public decimal Balance { get; set; }

    /// <summary>USD held by open reservations. Spendable credit is <c>Balance - Reserved</c>.</summary>
    public decimal Reserved { get; set; }

    /// <summary>USD bought over the account's life (top-ups), which lifts the free-model daily limit.</summary>
    public decimal TotalPurchased { get; set; }

    public DateTime CreatedAt { get; set; }
}
