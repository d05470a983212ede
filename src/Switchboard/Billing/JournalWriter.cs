using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Instances;

namespace Switchboard.Billing;

/// <summary>
/// Writes one <see cref="JournalBatch"/> in one transaction. It first checks this instance's row is there and holds it
/// against a replica reclaiming it until the transaction ends; if the row is gone, a replica has already found the instance dead
/// and given its leases back, so the batch's charges come off balances alone, and only as far as the balance has
/// credit free. The money moves in the store's lock order (accounts, keys, leases, each by id), then the records,
/// ledger lines and markers go in (one multi-row statement each on PostgreSQL). On PostgreSQL everything after the
/// first statement is one round trip.
/// </summary>
internal sealed class JournalWriter(SwitchboardStore store, DatabaseOptions database, SqliteJournalConnection sqlite, InstanceIdentity identity, TimeProvider time)
{
    private const string IgnoreDuplicateId = """ON CONFLICT ("Id") DO NOTHING""";

    /// <summary>Writes a batch of this process's, under its current identity.</summary>
    public Task<JournalWrite> WriteAsync(JournalBatch batch) => WriteAsync(batch, identity.Current);

    /// <summary>
    /// Writes a batch as the instance <paramref name="me"/>: this process, or a dead one whose settlement log is
    /// replayed (<see cref="SettlementLogReplay"/>). SQLite through the journal's own connection and prepared
    /// statements; PostgreSQL as one DbBatch.
    /// </summary>
    public Task<JournalWrite> WriteAsync(JournalBatch batch, string me) => database.Provider == DatabaseProvider.Sqlite
        ? sqlite.WriteAsync(sql => WriteAsync(sql, batch, me))
        : store.WriteAsync(async db =>
        {
            await using var sql = new SqlBatch(db);
            return await WriteAsync(sql, batch, me).ConfigureAwait(false);
        });

    private async Task<JournalWrite> WriteAsync(SqlBatch sql, JournalBatch batch, string me)
    {
        batch.ResetCaps();
        var now = time.GetUtcNow().UtcDateTime;
        var statements = new LedgerStatements(sql);
        var owner = await statements.HoldAsync(me, now).ConfigureAwait(false) ? me : null;

        // Money first, in lock order: accounts, keys, leases, each by id.
        var collectible = new Dictionary<long, decimal>();
        foreach (var (accountId, move) in batch.AccountMoves(owner))
        {
            var unleased = move.Unleased;
            if (unleased != 0m)
            {
                // Charges held under a lease the store has since reclaimed (a replica took this instance for dead):
                // that credit may have gone to another replica, so they may use only what the account has free, and
                // the balance never goes below zero; the rest is uncollected. Rare, so one statement at a time.
                await sql.ExecuteAsync().ConfigureAwait(false); // what is queued locks its rows first, in order
                var free = await statements.FreeCreditForUpdateAsync(accountId).ConfigureAwait(false) - move.Leased + move.Released;
                unleased = Math.Min(unleased, Math.Max(0m, free));
                collectible[accountId] = unleased;
            }
            statements.ChargeAccount(accountId, move.Leased + unleased, move.Released);
        }
        batch.CapUnleased(owner, collectible);
        var keyReturns = batch.KeyReturns(owner);
        foreach (var ((keyId, period), spend) in batch.KeySpends(owner))
        {
            // Keys in order: a key with no spend that returns a lease comes before any key with a higher id.
            foreach (var (returningKey, returned) in keyReturns.Where(r => r.Key < keyId).ToList())
            {
                statements.ReleaseReserved(CreditPoolId.ForKey(0, returningKey), returned);
                keyReturns.Remove(returningKey);
            }
            statements.ApplyKeySpend(keyId, period, spend.LimitSpend, spend.Charge, spend.ByokSpend, spend.Leased + keyReturns.GetValueOrDefault(keyId));
            keyReturns.Remove(keyId);
        }
        foreach (var (keyId, returned) in keyReturns)
        {
            statements.ReleaseReserved(CreditPoolId.ForKey(0, keyId), returned);
        }
        foreach (var (pool, amount) in batch.LeaseReductions(owner))
        {
            statements.AdjustLease(owner!, pool, -amount, now);
        }
        if (owner is not null && batch.Returns.Count > 0)
        {
            statements.DeleteEmptyLeases(owner);
        }
        statements.DeleteMarkers(batch.Unmarks);

        // Then the rows that lock nothing but themselves. A record may already be there: written as interrupted
        // when this instance was taken for dead.
        sql.Insert(batch.Records, IgnoreDuplicateId);
        sql.Insert(batch.LedgerLines());
        sql.Insert(batch.Contents, """ON CONFLICT ("GenerationId") DO NOTHING""");
        sql.Insert(DailyUsageCells.Sum(batch.Records));
        sql.Insert(batch.Marks, IgnoreDuplicateId);
        await sql.ExecuteAsync().ConfigureAwait(false);
        return new JournalWrite(me, Live: owner is not null);
    }
}

/// <summary>The identity a batch was written under, and whether the store still knew it (else its leases had been reclaimed).</summary>
internal readonly record struct JournalWrite(string Identity, bool Live);
