using Switchboard.Generations;
using Switchboard.Instances;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>Something the <see cref="LedgerJournal"/> writes to the store behind the request that produced it.</summary>
internal abstract record JournalEntry;

/// <summary>
/// Everything one generation leaves in the store, written in one transaction: its record, its money (when it moved
/// any), its text (when the account stores it), and the removal of its in-flight marker (when it had one).
/// A generation starts only when the journal has room for its entry (<see cref="LedgerJournal.AdmitAsync"/>).
/// </summary>
internal sealed record GenerationEntry(GenerationRecord Record, SettlementEntry? Settlement, GenerationContent? Content, bool Unmark) : JournalEntry
{
    /// <summary>Position in the journal, set on append: the entry is durable once the journal has committed this far.</summary>
    public long Sequence { get; set; }
}

/// <summary>
/// A settled generation's money. <see cref="Charge"/> comes off the account's balance, <see cref="LimitSpend"/>
/// counts against the key's limit, and both come off the leases of <see cref="LeaseOwner"/>, the instance identity
/// they were held under (the key's lease only when <see cref="FromKeyLease"/>). <see cref="Uncollected"/> is booked
/// on its own ledger line.
/// </summary>
internal sealed record SettlementEntry(
    string GenerationId, CallerKey Key, string LeaseOwner, decimal Charge, decimal LimitSpend, decimal ByokSpend, decimal Uncollected,
    bool FromKeyLease, DateTime SettledAt)
{
    public bool MovesMoney => Charge != 0m || LimitSpend != 0m || ByokSpend != 0m || Uncollected != 0m;
}

/// <summary>A lease (or part of one) the instance <see cref="Owner"/> gives back.</summary>
internal sealed record LeaseReturnEntry(string Owner, CreditPoolId Pool, decimal Amount) : JournalEntry;

/// <summary>A generation has run long enough to leave a marker, in case its instance dies before it ends.</summary>
internal sealed record MarkEntry(InFlightGeneration Marker) : JournalEntry;

/// <summary>Completes once everything queued before it is in the store: read-your-writes for the read endpoints.</summary>
internal sealed record FlushEntry : JournalEntry
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What the store granted; or, when the budget could not cover the need, how much it had available.</summary>
internal readonly record struct LeaseGrant(bool Granted, decimal Amount, decimal Available, bool StoreFailed)
{
    public static readonly LeaseGrant Failed = new(false, 0m, 0m, StoreFailed: true);

    public static LeaseGrant Of(decimal amount) => new(true, amount, 0m, false);

    public static LeaseGrant Short(decimal available) => new(false, 0m, available, false);
}

/// <summary>A request for at least <see cref="Need"/> and at most <see cref="Want"/> more of a budget, for the instance <see cref="Owner"/>.</summary>
internal readonly record struct LeaseRequest(string Owner, CreditPoolId Pool, decimal Need, decimal Want, LimitReset? LimitReset, DateTime At);
