namespace Switchboard.Billing;

/// <summary><c>Switchboard:Billing</c>: how list prices become charges, how credit is leased to this process, and how the journal writes it down.</summary>
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
    /// Names this process in the store's instance table and in logs (default: the machine name; the pod name in
    /// Kubernetes). Each process start adds a random suffix to make its identity, so two processes never share one,
    /// whatever this is set to.
    /// </summary>
    public string InstanceName { get; set; } = Environment.MachineName;

    /// <summary>Replaced by <see cref="InstanceName"/>; setting it is refused at start-up with a message saying so.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Replaced by <see cref="OwnerTimeout"/>; setting it is refused at start-up with a message saying so.</summary>
    public TimeSpan? AbandonedLeaseAfter { get; set; }

    /// <summary>
    /// How often this process proves it is alive (one row update) and looks for dead ones. Every journal batch is a
    /// proof of life too.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An instance whose heartbeat has not moved for this long, as another replica sees it on its own clock, is
    /// dead: its leases go back to their accounts and its in-flight generations are recorded as interrupted. At
    /// least three heartbeats. A dead instance's credit is free again within this plus two heartbeats (25 s by default).
    /// </summary>
    public TimeSpan OwnerTimeout { get; set; } = TimeSpan.FromSeconds(15);

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
    /// Longest a request waits for the store to lease it credit; past it the request gets 503 and nothing is
    /// charged. The lease, if the store grants it later, is kept for the next requests.
    /// </summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Finished generations whose entries are not yet written to the store, at most, before new ones wait. A request
    /// that finds the journal this far behind (the database stalled) waits up to <see cref="LeaseTimeout"/> for room,
    /// then gets 503: memory stays bounded. Generations still running do not count.
    /// </summary>
    public int JournalCapacity { get; set; } = 10_000;

    /// <summary>
    /// How a completed response's charge and record are made durable before its last bytes go out. Unset: the
    /// settlement log on SQLite (<see cref="ChargeDurability.Log"/>), the commit on PostgreSQL
    /// (<see cref="ChargeDurability.Commit"/>).
    /// </summary>
    public ChargeDurability? Durability { get; set; }

    /// <summary>
    /// How often the journal writes to the store when responses do not wait for it (the settlement log has made
    /// them durable): one transaction carries everything settled meanwhile. Endpoints that report money do not wait
    /// for it; they ask the journal to write at once.
    /// </summary>
    public TimeSpan JournalInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Longest a completed response waits for its charge and record to be committed before its last bytes (the
    /// body, or a stream's usage chunk and <c>[DONE]</c>) are sent. Committed first, a completion survives a crash
    /// of the process; past the timeout (the database stalled) it is sent anyway and the charge stays queued.
    /// </summary>
    public TimeSpan ChargeCommitTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>How a completed response's charge survives a crash of the process that served it.</summary>
internal enum ChargeDurability
{
    /// <summary>
    /// Appended to this process's settlement log beside the SQLite file before the response completes (one
    /// <c>pwrite</c>), written to the store by the journal within <see cref="BillingOptions.JournalInterval"/>; a
    /// process that dies in between has its log replayed by the next one to start or reclaim it. SQLite only.
    /// </summary>
    Log,

    /// <summary>The response waits for the store to commit its charge (one group commit).</summary>
    Commit,

    /// <summary>
    /// Neither: the charge is written within <see cref="BillingOptions.JournalInterval"/>, and a crash before then loses it.
    /// For measuring what durability costs; never run a gateway like this.
    /// </summary>
    None,
}
