using Switchboard.Generations;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>Something the <see cref="LedgerJournal"/> writes to the store behind the request that produced it.</summary>
internal abstract record JournalEntry;

/// <summary>
/// A settled generation's money: <see cref="Charge"/> comes off the account's balance and its lease, the key's
/// usage grows, and <see cref="LimitSpend"/> comes off the key's lease when the reservation held one.
/// </summary>
internal sealed record SettlementEntry(
    string GenerationId, CallerKey Key, decimal Charge, decimal LimitSpend, decimal ByokSpend, bool FromKeyLease, DateTime SettledAt)
    : JournalEntry;

internal sealed record RecordEntry(GenerationRecord Record) : JournalEntry;

/// <summary>The text of a generation whose account stores prompts and completions.</summary>
internal sealed record ContentEntry(GenerationContent Content) : JournalEntry;

/// <summary>A lease (or part of one) this instance gives back.</summary>
internal sealed record LeaseReturnEntry(CreditPoolId Pool, decimal Amount) : JournalEntry;

/// <summary>
/// Asks for at least <see cref="Need"/> and at most <see cref="Want"/> more of a budget. Answered after the
/// entries queued before it are written, so the store's figures already include this instance's last charges.
/// </summary>
internal sealed record LeaseRequestEntry(CreditPoolId Pool, decimal Need, decimal Want, LimitReset? LimitReset, DateTime At)
    : JournalEntry
{
    public TaskCompletionSource<LeaseGrant> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

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
