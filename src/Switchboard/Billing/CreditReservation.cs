namespace Switchboard.Billing;

/// <summary>
/// Credit held for a generation in flight: the worst case it could cost. The row exists from reservation to
/// settlement, so whatever is still here after a crash is known to be open and can be released.
/// </summary>
internal sealed class CreditReservation
{
    public required string GenerationId { get; set; }
    public long AccountId { get; set; }
    public long ApiKeyId { get; set; }

    /// <summary>USD held on the account.</summary>
    public decimal AccountAmount { get; set; }

    /// <summary>USD held against the key's limit (which may also count BYOK spend the account does not pay).</summary>
    public decimal KeyAmount { get; set; }

    /// <summary>The gateway process that holds it (<c>Switchboard:Billing:InstanceId</c>).</summary>
    public required string Instance { get; set; }
    public required string Model { get; set; }
    public bool Streamed { get; set; }
    public DateTime CreatedAt { get; set; }
}
