using System.Collections.Concurrent;
using Switchboard.Instances;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>
/// Reserves and settles credit in memory. Each account, and each key with a spend limit, has a
/// <see cref="CreditPool"/>: a lease on its budget that the store has recorded for this instance. A request's
/// worst case is held against the pools under a lock; only when a pool's lease cannot cover it does the book ask
/// the store for more (<see cref="CreditLedger.GrantLeaseAsync"/>), with a conditional update that never leases more
/// than the balance, less every instance's leases, has. So two requests, on this replica or any other, can never
/// both take credit only one of them fits; and since a settlement never charges more than its hold, charges never
/// exceed what was leased. Settling is a subtraction here and a journal entry written behind.
/// </summary>
internal sealed class CreditBook
{
    private readonly ConcurrentDictionary<CreditPoolId, CreditPool> _pools = new();
    private readonly CreditLedger _ledger;
    private readonly LedgerJournal _journal;
    private readonly InstanceIdentity _identity;
    private readonly BillingOptions _options;
    private readonly TimeProvider _time;

    public CreditBook(CreditLedger ledger, LedgerJournal journal, InstanceIdentity identity, BillingOptions options, TimeProvider time)
    {
        (_ledger, _journal, _identity, _options, _time) = (ledger, journal, identity, options, time);
        identity.Forfeited += RetireAll;
    }

    /// <summary>
    /// Holds <paramref name="hold"/> on the account's pool and, when the key has a limit, the key's. Waits for the
    /// store at most <see cref="BillingOptions.LeaseTimeout"/> and never past the caller leaving.
    /// </summary>
    public async ValueTask<ReservationResult> ReserveAsync(CallerKey key, string generationId, CreditHold hold, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(_options.LeaseTimeout.TotalSeconds * _time.TimestampFrequency);
        var now = _time.GetUtcNow().UtcDateTime;
        var (account, accountShort) = await HoldAsync(CreditPoolId.ForAccount(key.AccountId), hold.AccountAmount, key, now, deadline, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return ReservationResult.Short(accountShort.Source(ShortfallSource.Credits), accountShort.Available);
        }
        CreditPool? keyLimit = null;
        if (key.Limit is not null)
        {
            (keyLimit, var keyShort) = await HoldAsync(CreditPoolId.ForKey(key.AccountId, key.Id), hold.KeyAmount, key, now, deadline, cancellationToken).ConfigureAwait(false);
            if (keyLimit is null)
            {
                account.Release(hold.AccountAmount, spent: 0m, _time.GetTimestamp());
                return ReservationResult.Short(keyShort.Source(ShortfallSource.KeyLimit), keyShort.Available);
            }
        }
        return ReservationResult.Held(new Reservation(generationId, key, hold, account, keyLimit));
    }

    /// <summary>
    /// Ends the reservation: the hold is freed and the charge consumed from the leases. Returns the money's journal
    /// entry (null when nothing moved), which the caller writes with the generation's record. Never waits, never throws.
    /// </summary>
    public SettlementEntry? Settle(Reservation reservation, GenerationCharge charge)
    {
        var now = _time.GetTimestamp();
        reservation.Account.Release(reservation.Hold.AccountAmount, charge.Charge, now);
        reservation.KeyLimit?.Release(reservation.Hold.KeyAmount, charge.LimitSpend, now);
        var settlement = new SettlementEntry(
            reservation.GenerationId, reservation.Key, reservation.Account.Owner, charge.Charge, charge.LimitSpend, charge.ByokSpend, charge.Uncollected,
            FromKeyLease: reservation.KeyLimit is not null, _time.GetUtcNow().UtcDateTime);
        return settlement.MovesMoney ? settlement : null;
    }

    /// <summary>Generations holding credit in this instance right now, for the account.</summary>
    public int OpenHolds(long accountId) => _pools.TryGetValue(CreditPoolId.ForAccount(accountId), out var pool) ? pool.Holds : 0;

    /// <summary>
    /// What this instance holds of the store's credit right now, summed over its pools: leased, held by requests in
    /// flight, how many pools have a lease, and how many holds are open. For the lease gauges, read at collection time.
    /// </summary>
    public CreditBookTotals Totals()
    {
        var totals = new CreditBookTotals(0m, 0m, 0, 0);
        foreach (var (_, pool) in _pools)
        {
            var (leased, held, holds) = pool.Read();
            totals = new CreditBookTotals(totals.Leased + leased, totals.Held + held, totals.Leases + (leased != 0m ? 1 : 0), totals.Holds + holds);
        }
        return totals;
    }

    /// <summary>Gives back every lease no request has used for <see cref="BillingOptions.IdleLeaseReturn"/>.</summary>
    public int ReturnIdleLeases()
    {
        var idleSince = _time.GetTimestamp() - (long)(_options.IdleLeaseReturn.TotalSeconds * _time.TimestampFrequency);
        var returned = 0;
        foreach (var (id, pool) in _pools)
        {
            if (pool.TryTakeIdle(idleSince, out var amount))
            {
                _pools.TryRemove(new KeyValuePair<CreditPoolId, CreditPool>(id, pool));
                if (amount != 0m)
                {
                    _journal.Append(new LeaseReturnEntry(pool.Owner, id, amount));
                    returned++;
                }
            }
        }
        return returned;
    }

    /// <summary>At shutdown, once no request is in flight: every lease goes back to the store.</summary>
    public void ReturnAllLeases()
    {
        foreach (var (id, pool) in _pools)
        {
            var amount = pool.TakeUnheld();
            if (amount != 0m)
            {
                _journal.Append(new LeaseReturnEntry(pool.Owner, id, amount));
            }
        }
    }

    /// <summary>The store reclaimed the leases held under <paramref name="owner"/>: they are void here too.</summary>
    private void RetireAll(string owner)
    {
        foreach (var (id, pool) in _pools)
        {
            if (pool.Owner == owner)
            {
                pool.Retire();
                _pools.TryRemove(new KeyValuePair<CreditPoolId, CreditPool>(id, pool));
            }
        }
    }

    private async ValueTask<(CreditPool? Pool, Shortfall Short)> HoldAsync(
        CreditPoolId id, decimal amount, CallerKey key, DateTime now, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pool = _pools.GetOrAdd(id, static (id, identity) => new CreditPool(id, identity.Current), _identity);
            if (pool.TryHold(amount, _time.GetTimestamp()))
            {
                return (pool, default);
            }
            var (held, retired, shortfall) = await ExtendAndHoldAsync(pool, amount, key, now, deadline, cancellationToken).ConfigureAwait(false);
            if (!retired)
            {
                return (held ? pool : null, shortfall);
            }
            // The pool was given back while this request waited; forget it and take a fresh one.
            _pools.TryRemove(new KeyValuePair<CreditPoolId, CreditPool>(id, pool));
        }
    }

    private async ValueTask<(bool Held, bool Retired, Shortfall Short)> ExtendAndHoldAsync(
        CreditPool pool, decimal amount, CallerKey key, DateTime now, long deadline, CancellationToken cancellationToken)
    {
        if (!await WaitAsync(pool.Extending.WaitAsync(Remaining(deadline), cancellationToken)).ConfigureAwait(false))
        {
            return (false, false, Shortfall.StoreSlow);
        }
        try
        {
            var caughtUp = false;
            while (true)
            {
                if (pool.Retired)
                {
                    return (false, true, default);
                }
                if (pool.TryHold(amount, _time.GetTimestamp()))
                {
                    return (true, false, default);
                }
                var unheld = pool.Unheld;
                var need = Math.Max(0m, amount - unheld);
                // Lease ahead, so the next requests are served from memory: a multiple of this hold, at least the configured lease.
                var want = Math.Max(need, Math.Max(amount * _options.LeaseHolds, _options.LeaseSize));
                var grant = await GrantAsync(pool, new LeaseRequest(pool.Owner, pool.Id, need, want, key.LimitReset, now), deadline, cancellationToken).ConfigureAwait(false);
                if (grant is { Granted: false, StoreFailed: false } && !caughtUp && _journal.HasUnwritten)
                {
                    // The store's figures lag this process's while the journal has entries to write: a lease given back,
                    // or a key's spend that belongs to the limit period just ended, still counts there as reserved. A
                    // grant never waits for the journal; only one about to be refused has it write now, and asks again.
                    caughtUp = await CatchUpAsync(deadline, cancellationToken).ConfigureAwait(false);
                    if (caughtUp)
                    {
                        continue;
                    }
                }
                if (grant is not { Granted: true })
                {
                    return (false, false, grant is { } refused ? new Shortfall(refused.StoreFailed, unheld + refused.Available) : Shortfall.StoreSlow);
                }
                if (pool.TryHoldGranted(amount, _time.GetTimestamp()))
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

    /// <summary>
    /// Asks the store for a lease, waiting at most until <paramref name="deadline"/>; null when the wait ended first.
    /// A grant the store makes after the caller stopped waiting still reaches the pool (or, if the pool is gone,
    /// goes back to the store), so no lease is ever left recorded in the store but unknown here.
    /// </summary>
    private async ValueTask<LeaseGrant?> GrantAsync(CreditPool pool, LeaseRequest request, long deadline, CancellationToken cancellationToken)
    {
        var granted = _ledger.GrantLeaseAsync(request).ContinueWith(
            static (task, state) =>
            {
                var (book, pool) = ((CreditBook, CreditPool))state!;
                var grant = task.Result;
                if (grant.Granted && !pool.AddLease(grant.Amount))
                {
                    book._journal.Append(new LeaseReturnEntry(pool.Owner, pool.Id, grant.Amount));
                }
                return grant;
            },
            (this, pool), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            return await granted.WaitAsync(Remaining(deadline), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Has the journal write what it has, waiting at most until <paramref name="deadline"/>; false when the wait ended first.</summary>
    private async ValueTask<bool> CatchUpAsync(long deadline, CancellationToken cancellationToken)
    {
        try
        {
            await _journal.FlushAsync().WaitAsync(Remaining(deadline), _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    private TimeSpan Remaining(long deadline)
    {
        var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static async ValueTask<bool> WaitAsync(Task<bool> wait)
    {
        try
        {
            return await wait.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private readonly record struct Shortfall(bool StoreFailed, decimal Available)
    {
        /// <summary>The store did not answer in time (or the caller left): nothing is known to be short.</summary>
        public static readonly Shortfall StoreSlow = new(true, 0m);

        public ShortfallSource Source(ShortfallSource budget) => StoreFailed ? ShortfallSource.StoreUnavailable : budget;
    }
}

/// <summary>This instance's credit, summed over its pools (<see cref="CreditBook.Totals"/>).</summary>
internal readonly record struct CreditBookTotals(decimal Leased, decimal Held, int Leases, int Holds);
