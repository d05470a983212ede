using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.Billing;

/// <summary>
/// Checks the ledger's two promises for every account: balance = sum of its entries, reserved = sum of the leases
/// instances hold on it. Open reservations are the generations holding credit in this instance at the moment.
/// </summary>
internal sealed class LedgerAudit(SwitchboardStore store)
{
    public Task<IReadOnlyList<AccountAudit>> RunAsync(Func<long, int>? openHolds = null, CancellationToken cancellationToken = default) =>
        store.SnapshotAsync(db => RunAsync(db, openHolds, cancellationToken), cancellationToken);

    private static async Task<IReadOnlyList<AccountAudit>> RunAsync(SwitchboardDbContext db, Func<long, int>? openHolds, CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => new { a.Id, a.Balance, a.Reserved }).ToListAsync(cancellationToken);
        var ledger = await db.Ledger.GroupBy(e => e.AccountId).Select(g => new { g.Key, Sum = g.Sum(e => e.Amount) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum, cancellationToken);
        var leased = await db.Leases.Where(l => l.ApiKeyId == null).GroupBy(l => l.AccountId).Select(g => new { g.Key, Sum = g.Sum(l => l.Amount) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum, cancellationToken);
        return [.. accounts.Select(a => new AccountAudit(
            a.Id,
            a.Balance,
            ledger.GetValueOrDefault(a.Id),
            a.Reserved,
            leased.GetValueOrDefault(a.Id),
            openHolds?.Invoke(a.Id) ?? 0))];
    }
}

internal sealed record AccountAudit(long AccountId, decimal Balance, decimal LedgerSum, decimal Reserved, decimal Leased, int OpenReservations)
{
    public bool Balanced => Balance == LedgerSum && Reserved == Leased;
}
