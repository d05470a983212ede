namespace Switchboard.Billing;

/// <summary><c>Switchboard:Billing</c>: how list prices become charges, and how credit is leased to this instance.</summary>
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
    /// Names this gateway process in the leases it holds, so a restart releases exactly its own. Replicas sharing
    /// a database need distinct, stable ids (e.g. the pod name). Defaults to the machine name.
    /// </summary>
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>
    /// USD leased at least when a budget's lease runs short, so the following requests are served from memory.
    /// Larger means fewer store round trips; smaller means less credit parked on one replica.
    /// </summary>
    public decimal LeaseSize { get; set; } = 1m;

    /// <summary>A lease also covers at least this many holds the size of the one that ran short.</summary>
    public int LeaseHolds { get; set; } = 16;

    /// <summary>A lease no request has used for this long goes back to the store, free for other replicas.</summary>
    public TimeSpan IdleLeaseReturn { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the journal gathers settlements and generation records into one transaction. Longer batches more
    /// requests per commit (each commit has a fixed cost of about a millisecond on SQLite); it is also how much a
    /// crash (not a graceful stop) can lose of what was settled. Reads of money and lease requests never wait it out.
    /// </summary>
    public TimeSpan JournalInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// A lease untouched for this long is released by any replica: its owner is taken to be gone for good.
    /// Must exceed the longest generation.
    /// </summary>
    public TimeSpan AbandonedLeaseAfter { get; set; } = TimeSpan.FromHours(6);
}
