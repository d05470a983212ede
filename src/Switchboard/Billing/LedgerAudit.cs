using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.Billing;

/// <summary>Checks the ledger's two promises for every account: balance = sum of entries, reserved = sum of open holds.</summary>
internal sealed class LedgerAudit(SwitchboardStore store)
{
    public async Task<IReadOnlyList<AccountAudit>> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var db = store.Read();
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => new { a.Id, a.Balance, a.Reserved }).ToListAsync(cancellationToken);
        var ledger = await db.Ledger.GroupBy(e => e.AccountId).Select(g => new { g.Key, Sum = g.Sum(e => e.Amount) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum, cancellationToken);
        var held = await db.Reservations.GroupBy(r => r.AccountId).Select(g => new { g.Key, Sum = g.Sum(r => r.AccountAmount), Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => (g.Sum, g.Count), cancellationToken);
        return [.. accounts.Select(a => new AccountAudit(
            a.Id,
            a.Balance,
            ledger.GetValueOrDefault(a.Id),
            a.Reserved,
            held.GetValueOrDefault(a.Id).Sum,
            held.GetValueOrDefault(a.Id).Count))];
    }
}

internal sealed record AccountAudit(long AccountId, decimal Balance, decimal LedgerSum, decimal Reserved, decimal OpenReservationSum, int OpenReservations)
{
    public bool Balanced => Balance == LedgerSum && Reserved == OpenReservationSum;
}
