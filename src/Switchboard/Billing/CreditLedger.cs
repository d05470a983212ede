using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>
/// Every movement of money. Credit is reserved before a request is forwarded, in one transaction that holds the
/// worst case on the account and against the key's limit with conditional updates, so two requests can never
/// both take credit only one of them fits. Settlement releases the hold and books the actual charge. The
/// account balance moves only together with a ledger entry, so it always equals the ledger's sum.
/// </summary>
internal sealed partial class CreditLedger(SwitchboardStore store, BillingOptions options, TimeProvider time, ILogger<CreditLedger> logger)
{
    public Task<ReservationResult> ReserveAsync(CallerKey key, string generationId, string model, bool streamed, CreditHold hold)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var period = LimitPeriod.Start(key.LimitReset, now);
        var (accountAmount, keyAmount) = hold;
        return store.WriteAsync(async (db, scope) =>
        {
            var accountHeld = await db.Accounts
                .Where(a => a.Id == key.AccountId && a.Balance - a.Reserved >= accountAmount)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.Reserved, a => a.Reserved + accountAmount));
            if (accountHeld == 0)
            {
                var available = await db.Accounts.Where(a => a.Id == key.AccountId).Select(a => a.Balance - a.Reserved).FirstOrDefaultAsync();
                return ReservationResult.Short(ShortfallSource.Credits, available);
            }

            var keyHeld = await db.ApiKeys
                .Where(k => k.Id == key.Id
                    && (k.Limit == null || k.Limit - (k.PeriodStart < period ? 0m : k.PeriodUsage) - k.Reserved >= keyAmount))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(k => k.PeriodUsage, k => k.PeriodStart < period ? 0m : k.PeriodUsage)
                    .SetProperty(k => k.PeriodStart, period)
                    .SetProperty(k => k.Reserved, k => k.Reserved + keyAmount));
            if (keyHeld == 0)
            {
                var remaining = await db.ApiKeys.Where(k => k.Id == key.Id)
                    .Select(k => k.Limit - (k.PeriodStart < period ? 0m : k.PeriodUsage) - k.Reserved).FirstOrDefaultAsync();
                scope.Abandon(); // undoes the account's hold
                return ReservationResult.Short(ShortfallSource.KeyLimit, remaining ?? 0m);
            }

            db.Reservations.Add(new CreditReservation
            {
                GenerationId = generationId,
                AccountId = key.AccountId,
                ApiKeyId = key.Id,
                AccountAmount = accountAmount,
                KeyAmount = keyAmount,
                Instance = options.InstanceId,
                Model = model,
                Streamed = streamed,
                CreatedAt = now,
            });
            await db.SaveChangesAsync();
            return ReservationResult.Held(new Reservation(generationId, key, accountAmount, keyAmount));
        });
    }

    /// <summary>
    /// Releases the hold and books <paramref name="cost"/> as a charge. Idempotent: a reservation already settled
    /// (or released at start-up) is left alone and false returned. Never cancelled: money must not be left half-moved.
    /// </summary>
    public async Task<bool> SettleAsync(Reservation reservation, GenerationCost cost)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var key = reservation.Key;
        var period = LimitPeriod.Start(key.LimitReset, now);
        var charge = cost.Charge;
        var limitSpend = cost.LimitSpend(key.IncludeByokInLimit);
        var byokSpend = cost.IsByok ? cost.ListPrice : 0m;
        var settled = await store.WriteAsync(async db =>
        {
            if (await db.Reservations.Where(r => r.GenerationId == reservation.GenerationId).ExecuteDeleteAsync() == 0)
            {
                return false;
            }
            if (charge != 0m)
            {
                db.Ledger.Add(new LedgerEntry
                {
                    AccountId = key.AccountId,
                    ApiKeyId = key.Id,
                    Kind = LedgerEntryKind.Charge,
                    Amount = -charge,
                    GenerationId = reservation.GenerationId,
                    CreatedAt = now,
                });
                await db.SaveChangesAsync();
            }
            await db.Accounts.Where(a => a.Id == key.AccountId).ExecuteUpdateAsync(set => set
                .SetProperty(a => a.Balance, a => a.Balance - charge)
                .SetProperty(a => a.Reserved, a => a.Reserved - reservation.AccountAmount));
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(set => set
                .SetProperty(k => k.PeriodUsage, k => (k.PeriodStart < period ? 0m : k.PeriodUsage) + limitSpend)
                .SetProperty(k => k.PeriodStart, period)
                .SetProperty(k => k.Reserved, k => k.Reserved - reservation.KeyAmount)
                .SetProperty(k => k.Usage, k => k.Usage + charge)
                .SetProperty(k => k.ByokUsage, k => k.ByokUsage + byokSpend));
            return true;
        }).ConfigureAwait(false);
        if (!settled)
        {
            Log.AlreadySettled(logger, reservation.GenerationId);
        }
        return settled;
    }

    public Task<bool> ReleaseAsync(Reservation reservation) => SettleAsync(reservation, GenerationCost.Zero);

    /// <summary>
    /// Releases open reservations held by <paramref name="instance"/> (after a crash of this process), or, with
    /// <paramref name="createdBefore"/>, those of any process that are too old to belong to a live request.
    /// </summary>
    public async Task<int> ReleaseOpenAsync(string? instance, DateTime? createdBefore = null)
    {
        List<CreditReservation> open;
        await using (var db = store.Read())
        {
            var query = db.Reservations.AsQueryable();
            if (instance is not null)
            {
                query = query.Where(r => r.Instance == instance);
            }
            if (createdBefore is { } cutoff)
            {
                query = query.Where(r => r.CreatedAt < cutoff);
            }
            open = await query.ToListAsync().ConfigureAwait(false);
        }
        var released = 0;
        foreach (var row in open)
        {
            await using var db = store.Read();
            var key = await db.ApiKeys.Where(k => k.Id == row.ApiKeyId).Select(k => new { k.LimitReset, k.IncludeByokInLimit }).FirstAsync().ConfigureAwait(false);
            var caller = new CallerKey(row.ApiKeyId, row.AccountId, "", "", ApiKeyKind.Inference, false, null, key.LimitReset, key.IncludeByokInLimit, false);
            if (await ReleaseAsync(new Reservation(row.GenerationId, caller, row.AccountAmount, row.KeyAmount)).ConfigureAwait(false))
            {
                released++;
                Log.Released(logger, row.GenerationId, row.Instance, row.AccountAmount);
            }
        }
        return released;
    }

    /// <summary>Adds (or, for an adjustment, possibly removes) credit. Top-ups also count toward the account's purchases.</summary>
    public Task<LedgerEntry> CreditAsync(long accountId, decimal amount, LedgerEntryKind kind, string? note)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var purchased = kind == LedgerEntryKind.TopUp ? amount : 0m;
        return store.WriteAsync(async db =>
        {
            var entry = new LedgerEntry { AccountId = accountId, Kind = kind, Amount = amount, Note = note, CreatedAt = now };
            db.Ledger.Add(entry);
            await db.SaveChangesAsync();
            await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set
                .SetProperty(a => a.Balance, a => a.Balance + amount)
                .SetProperty(a => a.TotalPurchased, a => a.TotalPurchased + purchased));
            return entry;
        });
    }

    /// <summary>USD the account has bought over its life, which decides its free-model daily limit.</summary>
    public async Task<decimal> TotalPurchasedAsync(long accountId)
    {
        await using var db = store.Read();
        return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.TotalPurchased).FirstOrDefaultAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Released reservation {GenerationId} of {Instance} ({Amount} USD) left open by a process that stopped.")]
        public static partial void Released(ILogger logger, string generationId, string instance, decimal amount);

        [LoggerMessage(2, LogLevel.Debug, "Reservation {GenerationId} was already settled.")]
        public static partial void AlreadySettled(ILogger logger, string generationId);
    }
}
