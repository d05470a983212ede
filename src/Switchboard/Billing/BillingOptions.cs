namespace Switchboard.Billing;

/// <summary><c>Switchboard:Billing</c>: how list prices become charges, and who owns reservations.</summary>
internal sealed class BillingOptions
{
    /// <summary>Fraction added to every charge, e.g. 0.05 for 5%. Switchboard adds none by default.</summary>
    public decimal Markup { get; set; }

    /// <summary>
    /// Fraction of the list price charged for requests to BYOK providers (<c>Providers:&lt;slug&gt;:Byok</c>),
    /// whose usage the account pays the provider for directly. OpenRouter charges 0.05; the default is none.
    /// </summary>
    public decimal ByokFee { get; set; }

    /// <summary>
    /// Names this gateway process in the reservations it holds, so a restart releases exactly its own. Replicas
    /// sharing a database need distinct, stable ids (e.g. the pod name). Defaults to the machine name.
    /// </summary>
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>
    /// A reservation older than this is released by any replica: its owner is taken to be gone for good.
    /// Must exceed the longest generation.
    /// </summary>
    public TimeSpan AbandonedReservationAfter { get; set; } = TimeSpan.FromHours(6);
}
