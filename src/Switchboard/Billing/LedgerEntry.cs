namespace Switchboard.Billing;

/// <summary>
/// One movement of credit, never updated or deleted. An account's balance is the sum of its entries' amounts,
/// <see cref="LedgerEntryKind.Uncollected"/> lines aside.
/// </summary>
internal sealed class LedgerEntry
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long? ApiKeyId { get; set; }
    public LedgerEntryKind Kind { get; set; }

    /// <summary>USD, signed: credits are positive, charges negative.</summary>
    public decimal Amount { get; set; }

    /// <summary>The generation a charge or refund is for.</summary>
    public string? GenerationId { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal enum LedgerEntryKind
{
    TopUp,
    Charge,
    Refund,
    Adjustment,

    /// <summary>
    /// Not a movement of credit: what a generation's priced usage came to above the hold it was charged within
    /// (<see cref="GenerationCharge"/>). The account's balance does not include it; the audit reports it.
    /// </summary>
    Uncollected,
}
