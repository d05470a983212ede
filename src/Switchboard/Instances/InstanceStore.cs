using Microsoft.EntityFrameworkCore;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Generations;

namespace Switchboard.Instances;

/// <summary>
/// The store's side of instance lifetimes: registering, beating, and ending one, whether it ends itself (a graceful
/// stop) or a replica finds it dead. Ending an instance gives every lease it held back to its account or key and
/// turns its in-flight markers into interrupted generation records, in one transaction that locks rows in the
/// store's order (the instance, accounts, keys, leases).
/// </summary>
internal sealed partial class InstanceStore(SwitchboardStore store, TimeProvider time, ILogger<InstanceStore> logger)
{
    /// <summary>Leases written before instances had rows (an upgrade) are released when untouched this long, the old rule.</summary>
    public static readonly TimeSpan LegacyLeaseAge = TimeSpan.FromHours(6);

    public Task RegisterAsync(string id, string name) => store.WriteAsync(async db =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.Instances.Add(new GatewayInstance { Id = id, Name = name, ProcessId = Environment.ProcessId, StartedAt = now, HeartbeatAt = now, Beat = 1 });
        await db.SaveChangesAsync().ConfigureAwait(false);
        return 0;
    });

    /// <summary>False when the row is gone: a replica took this instance for dead and reclaimed what it owned.</summary>
    public async Task<bool> BeatAsync(string id, CancellationToken cancellationToken) => await store.WriteAsync(async db =>
    {
        await using var sql = new SqlBatch(db);
        return await new LedgerStatements(sql).BeatAsync(id, time.GetUtcNow().UtcDateTime).ConfigureAwait(false) == 1;
    }, cancellationToken).ConfigureAwait(false);

    public async Task<List<InstanceBeat>> BeatsAsync(CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.Instances.Select(i => new InstanceBeat(i.Id, i.Beat)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a dead instance, if its beat is still <paramref name="beat"/>: the conditional delete waits for any
    /// transaction of the instance itself, and fails if that one moved the beat. Null when it was alive after all.
    /// </summary>
    public Task<EndedInstance?> ReclaimAsync(string id, long beat) => EndAsync(id, beat, "found dead by another instance");

    /// <summary>Ends this instance at a graceful stop, after the journal has drained (its leases are normally all returned by then).</summary>
    public Task<EndedInstance?> DeregisterAsync(string id) => EndAsync(id, beat: null, "stopped");

    /// <summary>
    /// Releases leases no instance row owns (written before rows existed): those of <paramref name="legacyName"/>
    /// (this machine's old fixed id) at start-up, and any untouched for <see cref="LegacyLeaseAge"/>.
    /// </summary>
    public Task<int> ReleaseLegacyLeasesAsync(string? legacyName) => store.WriteAsync(async db =>
    {
        var cutoff = time.GetUtcNow().UtcDateTime - LegacyLeaseAge;
        var leases = await db.Leases.AsNoTracking()
            .Where(l => !db.Instances.Any(i => i.Id == l.Instance) && (l.Instance == legacyName || l.UpdatedAt < cutoff))
            .ToListAsync().ConfigureAwait(false);
        await using var sql = new SqlBatch(db);
        Release(new LedgerStatements(sql), leases);
        foreach (var lease in leases)
        {
            sql.Add("""DELETE FROM credit_leases WHERE "Id" = @id""", ("@id", lease.Id));
        }
        await sql.ExecuteAsync().ConfigureAwait(false);
        return leases.Count;
    });

    private Task<EndedInstance?> EndAsync(string id, long? beat, string why) => store.WriteAsync<EndedInstance?>(async (db, scope) =>
    {
        await using var sql = new SqlBatch(db);
        var deleted = beat is { } seen
            ? await sql.ExecuteNowAsync("""DELETE FROM gateway_instances WHERE "Id" = @id AND "Beat" = @beat""", ("@id", id), ("@beat", seen)).ConfigureAwait(false)
            : await sql.ExecuteNowAsync("""DELETE FROM gateway_instances WHERE "Id" = @id""", ("@id", id)).ConfigureAwait(false);
        if (deleted == 0 && beat is not null)
        {
            scope.Abandon();
            return null;
        }
        var leases = await db.Leases.AsNoTracking().Where(l => l.Instance == id).ToListAsync().ConfigureAwait(false);
        var markers = await db.InFlightGenerations.AsNoTracking().Where(g => g.Instance == id).ToListAsync().ConfigureAwait(false);
        var statements = new LedgerStatements(sql);
        var records = markers.Select(m => InterruptedRecord(m, why)).ToList();
        sql.Insert(records, """ON CONFLICT ("Id") DO NOTHING""");
        sql.Insert(DailyUsageCells.Sum(records));
        sql.Add("""DELETE FROM generations_in_flight WHERE "Instance" = @id""", ("@id", id));
        Release(statements, leases);
        sql.Add("""DELETE FROM credit_leases WHERE "Instance" = @id""", ("@id", id));
        await sql.ExecuteAsync().ConfigureAwait(false);
        foreach (var lease in leases)
        {
            Log.Released(logger, lease.Id, lease.Amount, why);
        }
        return new EndedInstance(leases.Count, leases.Sum(l => l.Amount), records.Count);
    });

    /// <summary>Gives each lease back to its budget: accounts by id, then keys by id (the store's lock order).</summary>
    private static void Release(LedgerStatements statements, List<Billing.CreditLease> leases)
    {
        foreach (var lease in leases.Where(l => l.ApiKeyId is null).OrderBy(l => l.AccountId))
        {
            statements.ReleaseReserved(CreditPoolId.ForAccount(lease.AccountId), lease.Amount);
        }
        foreach (var lease in leases.Where(l => l.ApiKeyId is not null).OrderBy(l => l.ApiKeyId))
        {
            statements.ReleaseReserved(CreditPoolId.ForKey(lease.AccountId, lease.ApiKeyId!.Value), lease.Amount);
        }
    }

    /// <summary>
    /// What is known of a generation whose instance died under it. Its usage died with the process, and the client
    /// never received a completed response, so, like a generation that produced nothing, it is not charged.
    /// </summary>
    private GenerationRecord InterruptedRecord(InFlightGeneration marker, string why) => new()
    {
        Id = marker.Id,
        AccountId = marker.AccountId,
        ApiKeyId = marker.ApiKeyId,
        CreatedAt = marker.StartedAt,
        Day = DateOnly.FromDateTime(marker.StartedAt),
        RequestedModel = marker.RequestedModel,
        Api = marker.Api,
        Model = marker.RequestedModel,
        Attempts = "[]",
        Status = StatusCodes.Status502BadGateway,
        ErrorMessage = $"Interrupted: the gateway instance serving this generation {why} before it finished; nothing was charged.",
        TokensEstimated = true,
        LatencyMs = (int)Math.Clamp((time.GetUtcNow().UtcDateTime - marker.StartedAt).TotalMilliseconds, 0, int.MaxValue),
        FinishReason = "error",
        NativeFinishReason = "gateway_interrupted",
        Streamed = marker.Streamed,
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Released lease {LeaseId} ({Amount} USD): its instance {Why}.")]
        public static partial void Released(ILogger logger, string leaseId, decimal amount, string why);
    }
}

/// <summary>What ending an instance gave back: leases and their USD, and generations recorded as interrupted.</summary>
internal sealed record EndedInstance(int Leases, decimal Amount, int Interrupted);
