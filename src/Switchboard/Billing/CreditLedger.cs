using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>
/// Credit coming in (top-ups, refunds, adjustments) and credit leased out to instances. An account's balance moves
/// only together with a ledger entry, so it always equals the ledger's sum, and its <c>Reserved</c> (like a key's)
/// always equals the leases instances hold on it. Leases are granted by conditional updates, so the balance less
/// every lease never goes below zero through a grant, whichever replica asks. Charges are written by the
/// <see cref="JournalWriter"/>; leases of dead instances are given back by <see cref="Instances.DeadInstanceReclaimer"/>.
/// </summary>
internal sealed partial class CreditLedger(SwitchboardStore store, TimeProvider time, ILogger<CreditLedger> logger)
{
    /// <summary>
    /// Leases between <see cref="LeaseRequest.Need"/> and <see cref="LeaseRequest.Want"/> of the budget to the instance
    /// <see cref="LeaseRequest.Owner"/>, if the budget has the need. The owner's row is locked first (and must still be
    /// there: a forfeited identity gets nothing), then the budget's row, then the lease's: the store's lock order.
    /// </summary>
    public async Task<LeaseGrant> GrantLeaseAsync(LeaseRequest request)
    {
        try
        {
            return await store.WriteAsync(async (db, scope) =>
            {
                await using var sql = new SqlBatch(db);
                var statements = new LedgerStatements(sql);
                if (await statements.BeatAsync(request.Owner, request.At).ConfigureAwait(false) == 0)
                {
                    scope.Abandon();
                    return LeaseGrant.Failed;
                }
                var (pool, need, want) = (request.Pool, request.Need, request.Want);
                var amount = pool.ApiKeyId is { } keyId
                    ? await TryLeaseKeyLimitAsync(db, keyId, need, want, LimitPeriod.Start(request.LimitReset, request.At))
                    : await TryLeaseBalanceAsync(db, pool.AccountId, need, want);
                if (amount.Granted)
                {
                    statements.AdjustLease(request.Owner, pool, amount.Amount, request.At);
                    await sql.ExecuteAsync().ConfigureAwait(false);
                }
                return amount;
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LeaseFailed(logger, request.Pool.AccountId, ex);
            return LeaseGrant.Failed;
        }
    }

    /// <summary>
    /// Adds (or, for an adjustment, possibly removes) credit. Top-ups also count toward the account's purchases,
    /// and start a new period for balance alerts: the balance they leave is what later spend is measured against.
    /// </summary>
    public Task<LedgerEntry> CreditAsync(long accountId, decimal amount, LedgerEntryKind kind, string? note)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return store.WriteAsync(async db =>
        {
            var entry = new LedgerEntry { AccountId = accountId, Kind = kind, Amount = amount, Note = note, CreatedAt = now };
            db.Ledger.Add(entry);
            await db.SaveChangesAsync();
            var account = db.Accounts.Where(a => a.Id == accountId);
            if (kind == LedgerEntryKind.TopUp)
            {
                // One statement, so the baseline is the balance this top-up left even while the journal charges the account.
                await account.ExecuteUpdateAsync(set => set
                    .SetProperty(a => a.Balance, a => a.Balance + amount)
                    .SetProperty(a => a.TotalPurchased, a => a.TotalPurchased + amount)
                    .SetProperty(a => a.CreditBaseline, a => a.Balance + amount)
                    .SetProperty(a => a.CreditBaselineAt, (DateTime?)now));
            }
            else
            {
                await account.ExecuteUpdateAsync(set => set.SetProperty(a => a.Balance, a => a.Balance + amount));
            }
            return entry;
        });
    }

    /// <summary>USD the account has bought over its life, which decides its free-model daily limit.</summary>
    public async Task<decimal> TotalPurchasedAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.TotalPurchased).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<LeaseGrant> TryLeaseBalanceAsync(SwitchboardDbContext db, long accountId, decimal need, decimal want)
    {
        var available = await db.Accounts.Where(a => a.Id == accountId).Select(a => (decimal?)(a.Balance - a.Reserved)).FirstOrDefaultAsync() ?? 0m;
        if (available < need)
        {
            return LeaseGrant.Short(available);
        }
        var amount = Math.Min(want, available);
        // Conditional, so a grant by another process between the read and this update cannot be overdrawn.
        var updated = await db.Accounts
            .Where(a => a.Id == accountId && a.Balance - a.Reserved >= amount)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Reserved, a => a.Reserved + amount));
        return updated == 1 ? LeaseGrant.Of(amount) : await TryLeaseBalanceAsync(db, accountId, need, want);
    }

    private static async Task<LeaseGrant> TryLeaseKeyLimitAsync(SwitchboardDbContext db, long keyId, decimal need, decimal want, DateTime period)
    {
        var key = await db.ApiKeys.Where(k => k.Id == keyId)
            .Select(k => new { k.Limit, Remaining = k.Limit - (k.PeriodStart < period ? 0m : k.PeriodUsage) - k.Reserved })
            .FirstOrDefaultAsync();
        var available = key is null ? 0m : key.Limit is null ? want : key.Remaining ?? 0m;
        if (available < need)
        {
            return LeaseGrant.Short(available);
        }
        var amount = Math.Min(want, available);
        var updated = await db.ApiKeys
            .Where(k => k.Id == keyId && (k.Limit == null || k.Limit - (k.PeriodStart < period ? 0m : k.PeriodUsage) - k.Reserved >= amount))
            .ExecuteUpdateAsync(set => set
                .SetProperty(k => k.PeriodUsage, k => k.PeriodStart < period ? 0m : k.PeriodUsage)
                .SetProperty(k => k.PeriodStart, k => k.PeriodStart < period ? period : k.PeriodStart)
                .SetProperty(k => k.Reserved, k => k.Reserved + amount));
        return updated == 1 ? LeaseGrant.Of(amount) : await TryLeaseKeyLimitAsync(db, keyId, need, want, period);
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Error, "Could not lease credit for account {AccountId}; the request is refused with 503.")]
        public static partial void LeaseFailed(ILogger logger, long accountId, Exception exception);
    }
}
