using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.Billing;

/// <summary>
/// Checks every money invariant the store can show, in one consistent snapshot, and names each one that is broken.
/// Per account: the balance equals its ledger's sum; <c>Reserved</c> equals the leases live instances hold on it and
/// is never negative; no lease belongs to a dead or unknown instance beyond the reclaim bound; no charge ever left the
/// balance below zero; no usage went uncollected (charged above its hold). Per key with a limit or a lease: the same
/// for its reservation, and its spend in a period never above its limit. An account or key is balanced only when
/// none is broken.
/// </summary>
internal sealed class LedgerAudit(SwitchboardStore store, BillingOptions options, TimeProvider time)
{
    /// <summary>Uncollected lines listed in the report, newest first.</summary>
    private const int UncollectedShown = 100;

    public Task<LedgerAuditReport> RunAsync(Func<long, int>? openHolds = null, CancellationToken cancellationToken = default) =>
        store.SnapshotAsync(db => RunAsync(db, openHolds, cancellationToken), cancellationToken);

    /// <summary>
    /// How long a dead instance's leases may exist before the audit calls them stale: the reclaim bound
    /// (<see cref="BillingOptions.OwnerTimeout"/> and two heartbeats), doubled for the skew between the owner's clock,
    /// which wrote its last heartbeat time, and this one.
    /// </summary>
    private TimeSpan StaleAfter => 2 * (options.OwnerTimeout + 2 * options.HeartbeatInterval);

    private async Task<LedgerAuditReport> RunAsync(SwitchboardDbContext db, Func<long, int>? openHolds, CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => new { a.Id, a.Balance, a.Reserved, a.LowestBalance }).ToListAsync(cancellationToken);
        var sums = await db.Ledger.GroupBy(e => new { e.AccountId, e.Kind }).Select(g => new { g.Key.AccountId, g.Key.Kind, Sum = g.Sum(e => e.Amount) })
            .ToListAsync(cancellationToken);
        var instances = await db.Instances.Select(i => new { i.Id, i.HeartbeatAt }).ToDictionaryAsync(i => i.Id, i => i.HeartbeatAt, cancellationToken);
        var leases = await db.Leases.AsNoTracking().ToListAsync(cancellationToken);
        var staleBefore = time.GetUtcNow().UtcDateTime - StaleAfter;
        bool IsStale(CreditLease lease) => !instances.TryGetValue(lease.Instance, out var beat) || beat < staleBefore;

        var ledger = sums.Where(s => s.Kind != LedgerEntryKind.Uncollected).GroupBy(s => s.AccountId).ToDictionary(g => g.Key, g => g.Sum(s => s.Sum));
        var uncollected = sums.Where(s => s.Kind == LedgerEntryKind.Uncollected).ToDictionary(s => s.AccountId, s => s.Sum);
        var accountLeases = leases.Where(l => l.ApiKeyId is null).ToLookup(l => l.AccountId);
        var accountAudits = accounts.Select(a => AccountAudit.Check(
            a.Id, a.Balance, ledger.GetValueOrDefault(a.Id), a.Reserved, accountLeases[a.Id].Sum(l => l.Amount),
            accountLeases[a.Id].Count(IsStale), uncollected.GetValueOrDefault(a.Id), a.LowestBalance, openHolds?.Invoke(a.Id) ?? 0)).ToList();

        var keyLeases = leases.Where(l => l.ApiKeyId is not null).ToLookup(l => l.ApiKeyId!.Value);
        var keys = await db.ApiKeys.Where(k => k.Limit != null || k.Reserved != 0m || db.Leases.Any(l => l.ApiKeyId == k.Id))
            .OrderBy(k => k.Id).Select(k => new { k.Id, k.AccountId, k.Limit, k.PeriodUsage, k.Reserved }).ToListAsync(cancellationToken);
        var keyAudits = keys.Select(k => KeyAudit.Check(
            k.Id, k.AccountId, k.Limit, k.PeriodUsage, k.Reserved, keyLeases[k.Id].Sum(l => l.Amount), keyLeases[k.Id].Count(IsStale))).ToList();

        var recent = await db.Ledger.Where(e => e.Kind == LedgerEntryKind.Uncollected).OrderByDescending(e => e.Id).Take(UncollectedShown)
            .Select(e => new UncollectedLine(e.AccountId, e.ApiKeyId, e.GenerationId, e.Amount, e.CreatedAt)).ToListAsync(cancellationToken);
        return new LedgerAuditReport(accountAudits, keyAudits, recent, instances.Count);
    }
}

internal sealed record LedgerAuditReport(IReadOnlyList<AccountAudit> Accounts, IReadOnlyList<KeyAudit> Keys, IReadOnlyList<UncollectedLine> RecentUncollected, int Instances)
{
    public bool Balanced => Accounts.All(a => a.Balanced) && Keys.All(k => k.Balanced);
}

/// <summary>One account's figures and what is wrong with them (nothing, when balanced).</summary>
internal sealed record AccountAudit(
    long AccountId, decimal Balance, decimal LedgerSum, decimal Reserved, decimal Leased, int StaleLeases, decimal Uncollected, decimal LowestBalance,
    int OpenReservations, IReadOnlyList<string> Problems)
{
    public bool Balanced => Problems.Count == 0;

    public static AccountAudit Check(
        long id, decimal balance, decimal ledgerSum, decimal reserved, decimal leased, int staleLeases, decimal uncollected, decimal lowest, int open)
    {
        var problems = new List<string>();
        if (balance != ledgerSum)
        {
            problems.Add($"balance {Money.Normalize(balance)} differs from the ledger's sum {Money.Normalize(ledgerSum)}");
        }
        if (reserved != leased)
        {
            problems.Add($"reserved {Money.Normalize(reserved)} differs from the leases on it {Money.Normalize(leased)}");
        }
        if (reserved < 0m)
        {
            problems.Add($"reserved is negative ({Money.Normalize(reserved)})");
        }
        if (staleLeases > 0)
        {
            problems.Add($"{staleLeases} lease(s) held by an instance that is gone or has stopped beating");
        }
        if (uncollected != 0m)
        {
            problems.Add($"{Money.Normalize(uncollected)} USD of usage went uncollected (priced above what was held)");
        }
        if (lowest < 0m)
        {
            problems.Add($"a charge left the balance at {Money.Normalize(lowest)}");
        }
        return new AccountAudit(id, balance, ledgerSum, reserved, leased, staleLeases, uncollected, lowest, open, problems);
    }
}

/// <summary>One key's reservation and limit, and what is wrong with them.</summary>
internal sealed record KeyAudit(long KeyId, long AccountId, decimal? Limit, decimal PeriodUsage, decimal Reserved, decimal Leased, int StaleLeases, IReadOnlyList<string> Problems)
{
    public bool Balanced => Problems.Count == 0;

    public static KeyAudit Check(long id, long accountId, decimal? limit, decimal periodUsage, decimal reserved, decimal leased, int staleLeases)
    {
        var problems = new List<string>();
        if (reserved != leased)
        {
            problems.Add($"reserved {Money.Normalize(reserved)} differs from the leases on it {Money.Normalize(leased)}");
        }
        if (reserved < 0m)
        {
            problems.Add($"reserved is negative ({Money.Normalize(reserved)})");
        }
        if (staleLeases > 0)
        {
            problems.Add($"{staleLeases} lease(s) held by an instance that is gone or has stopped beating");
        }
        if (limit is { } max && periodUsage > max)
        {
            problems.Add($"spent {Money.Normalize(periodUsage)} in its limit period, above its limit {Money.Normalize(max)}");
        }
        return new KeyAudit(id, accountId, limit, periodUsage, reserved, leased, staleLeases, problems);
    }
}

/// <summary>Usage priced above its hold: the generation, and the USD nobody was charged.</summary>
internal sealed record UncollectedLine(long AccountId, long? ApiKeyId, string? GenerationId, decimal Amount, DateTime CreatedAt);
