namespace Switchboard.Billing;

/// <summary>
/// Credit a gateway instance has taken from an account's balance, or from a key's limit, to hold its requests
/// against in memory. The account's (or key's) <c>Reserved</c> is the sum of its leases, so no two instances can
/// hand out the same credit. Charges consume a lease as they are journaled; an idle lease goes back; after a
/// crash the restarted instance releases its own (<see cref="LeaseRecovery"/>).
/// </summary>
internal sealed class CreditLease
{
    /// <summary><c>{instance}/account/{id}</c> or <c>{instance}/key/{id}</c>: one lease per instance and budget.</summary>
    public required string Id { get; set; }

    /// <summary>The gateway process that holds it (<c>Switchboard:Billing:InstanceId</c>).</summary>
    public required string Instance { get; set; }
    public long AccountId { get; set; }

    /// <summary>Set for a lease on a key's limit; null for a lease on the account's balance.</summary>
    public long? ApiKeyId { get; set; }

    /// <summary>USD leased and not yet consumed by a journaled charge (negative when charges overran the lease).</summary>
    public decimal Amount { get; set; }
    public DateTime UpdatedAt { get; set; }
}
