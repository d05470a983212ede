using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>
/// Every movement of money in the store. An account's balance moves only together with a ledger entry, so it
/// always equals the ledger's sum, and its <c>Reserved</c> (like a key's) always equals the leases instances
/// hold on it. Leases are granted by conditional updates, so the balance less every lease never goes below zero
/// through a grant, whichever replica asks.
/// </summary>
internal sealed partial class CreditLedger(SwitchboardStore store, BillingOptions options, TimeProvider time, ILogger<CreditLedger> logger)
{
    /// <summary>Leases between <see cref="LeaseRequestEntry.Need"/> and <see cref="LeaseRequestEntry.Want"/> of the budget, if it has the need.</summary>
    public async Task<LeaseGrant> GrantLeaseAsync(LeaseRequestEntry request)
    {
        try
        {
            return await store.WriteAsync(async db =>
            {
                var (pool, need, want) = (request.Pool, request.Need, request.Want);
                var amount = pool.ApiKeyId is { } keyId
                    ? await TryLeaseKeyLimitAsync(db, keyId, need, want, LimitPeriod.Start(request.LimitReset, request.At))
                    : await TryLeaseBalanceAsync(db, pool.AccountId, need, want);
                if (!amount.Granted)
                {
                    return amount;
                }
                await new LedgerStatements(db).AdjustLeaseAsync(options.InstanceId, pool, amount.Amount, request.At);
                return amount;
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LeaseFailed(logger, request.Pool.AccountId, ex);
            return LeaseGrant.Failed;
        }
    }

    /// <summary>Writes a journal batch in one transaction: ledger entries and records, then the sums per day, account and key.</summary>
    public Task BookAsync(LedgerBookings bookings) => store.WriteAsync(async db =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        var charges = new List<LedgerEntry>(bookings.Settlements.Count);
        foreach (var settlement in bookings.Settlements)
        {
            if (settlement.Charge != 0m)
            {
                charges.Add(new LedgerEntry
                {
                    AccountId = settlement.Key.AccountId,
                    ApiKeyId = settlement.Key.Id,
                    Kind = LedgerEntryKind.Charge,
                    Amount = -settlement.Charge,
                    GenerationId = settlement.GenerationId,
                    CreatedAt = settlement.SettledAt,
                });
            }
        }
        await db.InsertAsync(charges);
        await db.InsertAsync(bookings.Records);
        await db.InsertAsync(bookings.Contents);

        // The activity rollup's share of the batch goes in with the records it sums, in the same transaction, so the
        // two never disagree; the compactor folds it into daily_usage (a read of activity compacts first).
        await db.InsertAsync(DailyUsageCells.Sum(bookings.Records));

        var sql = new LedgerStatements(db);
        foreach (var (accountId, charge) in SumByAccount(bookings.Settlements))
        {
            await sql.ChargeAccountAsync(accountId, charge);
            await sql.AdjustLeaseAsync(options.InstanceId, CreditPoolId.ForAccount(accountId), -charge, now);
        }
        foreach (var spend in SumByKeyAndPeriod(bookings.Settlements))
        {
            await sql.ApplyKeySpendAsync(spend.KeyId, spend.Period, spend.LimitSpend, spend.Charge, spend.ByokSpend, spend.Leased);
            if (spend.Leased != 0m)
            {
                await sql.AdjustLeaseAsync(options.InstanceId, CreditPoolId.ForKey(spend.AccountId, spend.KeyId), -spend.Leased, now);
            }
        }
        foreach (var lease in bookings.Returns)
        {
            await sql.ReleaseReservedAsync(lease.Pool, lease.Amount);
            await sql.AdjustLeaseAsync(options.InstanceId, lease.Pool, -lease.Amount, now);
        }
        return bookings.Returns.Count > 0 ? await sql.DeleteEmptyLeasesAsync(options.InstanceId) : 0;
    });

    /// <summary>
    /// Releases the leases <paramref name="instance"/> held when it stopped (a crash cannot have returned them),
    /// or, with <paramref name="idleBefore"/>, those of any instance untouched long enough to be abandoned.
    /// Charges that were never journaled are lost with the process; the holds they came from are released.
    /// </summary>
    public async Task<int> ReleaseLeasesAsync(string? instance, DateTime? idleBefore = null)
    {
        return await store.WriteAsync(async db =>
        {
            var query = db.Leases.AsQueryable();
            if (instance is not null)
            {
                query = query.Where(l => l.Instance == instance);
            }
            if (idleBefore is { } cutoff)
            {
                query = query.Where(l => l.UpdatedAt < cutoff);
            }
            var leases = await query.AsNoTracking().ToListAsync();
            foreach (var lease in leases)
            {
                var pool = new CreditPoolId(lease.AccountId, lease.ApiKeyId);
                await new LedgerStatements(db).ReleaseReservedAsync(pool, lease.Amount);
                await db.Leases.Where(l => l.Id == lease.Id).ExecuteDeleteAsync();
                Log.Released(logger, lease.Id, lease.Amount);
            }
            return leases.Count;
        }).ConfigureAwait(false);
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
    public async Task<decimal> TotalPurchasedAsync(long accountId)
    {
        await using var db = store.Read();
        return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.TotalPurchased).FirstOrDefaultAsync().ConfigureAwait(false);
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

    private static IEnumerable<(long AccountId, decimal Charge)> SumByAccount(List<SettlementEntry> settlements)
    {
        var sums = new Dictionary<long, decimal>();
        foreach (var s in settlements)
        {
            if (s.Charge != 0m)
            {
                sums[s.Key.AccountId] = sums.GetValueOrDefault(s.Key.AccountId) + s.Charge;
            }
        }
        return sums.Select(p => (p.Key, p.Value));
    }

    private static IEnumerable<KeySpend> SumByKeyAndPeriod(List<SettlementEntry> settlements)
    {
        var sums = new Dictionary<(long KeyId, DateTime Period), KeySpend>();
        foreach (var s in settlements)
        {
            if (s.Charge == 0m && s.LimitSpend == 0m && s.ByokSpend == 0m)
            {
                continue;
            }
            var period = LimitPeriod.Start(s.Key.LimitReset, s.SettledAt);
            var sum = sums.GetValueOrDefault((s.Key.Id, period), new KeySpend(s.Key.Id, s.Key.AccountId, period, 0m, 0m, 0m, 0m));
            sums[(s.Key.Id, period)] = sum with
            {
                LimitSpend = sum.LimitSpend + s.LimitSpend,
                Charge = sum.Charge + s.Charge,
                ByokSpend = sum.ByokSpend + s.ByokSpend,
                Leased = sum.Leased + (s.FromKeyLease ? s.LimitSpend : 0m),
            };
        }
        return sums.Values.OrderBy(s => s.Period);
    }

    private readonly record struct KeySpend(long KeyId, long AccountId, DateTime Period, decimal LimitSpend, decimal Charge, decimal ByokSpend, decimal Leased);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Released lease {LeaseId} ({Amount} USD) left by a process that stopped.")]
        public static partial void Released(ILogger logger, string leaseId, decimal amount);

        [LoggerMessage(2, LogLevel.Error, "Could not lease credit for account {AccountId}; the request is refused with 503.")]
        public static partial void LeaseFailed(ILogger logger, long accountId, Exception exception);
    }
}
