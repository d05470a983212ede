using System.Collections.Concurrent;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>
/// Reserves and settles credit in memory. Each account, and each key with a spend limit, has a
/// <see cref="CreditPool"/>: a lease on its budget that the store has recorded for this instance. A request's
/// worst case is held against the pools under a lock; only when a pool's lease cannot cover it does the book ask
/// the store (through the <see cref="LedgerJournal"/>) for more, with a conditional update that never leases more
/// than the balance, less every instance's leases, has. So two requests, on this replica or any other, can never
/// both take credit only one of them fits. Settlement is a subtraction here and a journal entry written behind.
/// </summary>
internal sealed class CreditBook(LedgerJournal journal, BillingOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<CreditPoolId, CreditPool> _pools = new();

    public async ValueTask<ReservationResult> ReserveAsync(CallerKey key, string generationId, CreditHold hold)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (account, accountShort) = await HoldAsync(CreditPoolId.ForAccount(key.AccountId), hold.AccountAmount, key, now).ConfigureAwait(false);
        if (account is null)
        {
            return ReservationResult.Short(accountShort.Source(ShortfallSource.Credits), accountShort.Available);
        }
        CreditPool? keyLimit = null;
        if (key.Limit is not null)
        {
            (keyLimit, var keyShort) = await HoldAsync(CreditPoolId.ForKey(key.AccountId, key.Id), hold.KeyAmount, key, now).ConfigureAwait(false);
            if (keyLimit is null)
            {
                account.Release(hold.AccountAmount, spent: 0m, time.GetTimestamp());
                return ReservationResult.Short(keyShort.Source(ShortfallSource.KeyLimit), keyShort.Available);
            }
        }
        return ReservationResult.Held(new Reservation(generationId, key, hold, account, keyLimit));
    }

    /// <summary>
    /// Ends the reservation: the hold is freed, the charge consumed from the leases, and the movement journaled.
    /// Never throws and never waits for the store: money must not be left half-moved by a cancelled request.
    /// </summary>
    public void Settle(Reservation reservation, GenerationCost cost)
    {
        var key = reservation.Key;
        var limitSpend = cost.LimitSpend(key.IncludeByokInLimit);
        var now = time.GetTimestamp();
        reservation.Account.Release(reservation.Hold.AccountAmount, cost.Charge, now);
        reservation.KeyLimit?.Release(reservation.Hold.KeyAmount, limitSpend, now);
        journal.Append(new SettlementEntry(
            reservation.GenerationId, key, cost.Charge, limitSpend, cost.IsByok ? cost.ListPrice : 0m,
            FromKeyLease: reservation.KeyLimit is not null, time.GetUtcNow().UtcDateTime));
    }

    /// <summary>Generations holding credit in this instance right now, for the account.</summary>
    public int OpenHolds(long accountId) => _pools.TryGetValue(CreditPoolId.ForAccount(accountId), out var pool) ? pool.Holds : 0;

    /// <summary>Gives back every lease no request has used for <see cref="BillingOptions.IdleLeaseReturn"/>.</summary>
    public int ReturnIdleLeases()
    {
        var idleSince = time.GetTimestamp() - (long)(options.IdleLeaseReturn.TotalSeconds * time.TimestampFrequency);
        var returned = 0;
        foreach (var (id, pool) in _pools)
        {
            if (pool.TryTakeIdle(idleSince, out var amount))
            {
                _pools.TryRemove(new KeyValuePair<CreditPoolId, CreditPool>(id, pool));
                if (amount != 0m)
                {
                    journal.Append(new LeaseReturnEntry(id, amount));
                    returned++;
                }
            }
        }
        return returned;
    }

    /// <summary>At shutdown: every lease, less what requests still in flight hold, goes back to the store.</summary>
    public IReadOnlyList<LeaseReturnEntry> TakeUnheldLeases()
    {
        var returns = new List<LeaseReturnEntry>();
        foreach (var (id, pool) in _pools)
        {
            var amount = pool.TakeUnheld();
            if (amount != 0m)
            {
                returns.Add(new LeaseReturnEntry(id, amount));
            }
        }
        return returns;
    }

    private async ValueTask<(CreditPool? Pool, Shortfall Short)> HoldAsync(CreditPoolId id, decimal amount, CallerKey key, DateTime now)
    {
        while (true)
        {
            var pool = _pools.GetOrAdd(id, static id => new CreditPool(id));
            if (pool.TryHold(amount, time.GetTimestamp()))
            {
                return (pool, default);
            }
            var (held, retired, shortfall) = await ExtendAndHoldAsync(pool, amount, key, now).ConfigureAwait(false);
            if (!retired)
            {
                return (held ? pool : null, shortfall);
            }
            // The pool was given back while this request waited; forget it and take a fresh one.
            _pools.TryRemove(new KeyValuePair<CreditPoolId, CreditPool>(id, pool));
        }
    }

    private async ValueTask<(bool Held, bool Retired, Shortfall Short)> ExtendAndHoldAsync(CreditPool pool, decimal amount, CallerKey key, DateTime now)
    {
        await pool.Extending.WaitAsync().ConfigureAwait(false);
        try
        {
            while (true)
            {
                if (pool.Retired)
                {
                    return (false, true, default);
                }
                if (pool.TryHold(amount, time.GetTimestamp()))
                {
                    return (true, false, default);
                }
                var unheld = pool.Unheld;
                var need = Math.Max(0m, amount - unheld);
                // Lease ahead, so the next requests are served from memory: a multiple of this hold, at least the configured lease.
                var want = Math.Max(need, Math.Max(amount * options.LeaseHolds, options.LeaseSize));
                var grant = await journal.RequestLeaseAsync(new LeaseRequestEntry(pool.Id, need, want, key.LimitReset, now)).ConfigureAwait(false);
                if (!grant.Granted)
                {
                    return (false, false, new Shortfall(grant.StoreFailed, unheld + grant.Available));
                }
                pool.AddLease(grant.Amount);
                if (pool.TryHoldGranted(amount, time.GetTimestamp()))
                {
                    return (true, false, default);
                }
                // Requests served from memory took part of the grant meanwhile; ask again for what is still missing.
            }
        }
        finally
        {
            pool.Extending.Release();
        }
    }

    private readonly record struct Shortfall(bool StoreFailed, decimal Available)
    {
        public ShortfallSource Source(ShortfallSource budget) => StoreFailed ? ShortfallSource.StoreUnavailable : budget;
    }
}
