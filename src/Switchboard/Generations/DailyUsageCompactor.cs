using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Switchboard.Billing;
using Switchboard.Data;

namespace Switchboard.Generations;

/// <summary>
/// Folds the journal's pending rollup rows into <c>daily_usage</c>: once a second, and before every read of activity,
/// so a read includes everything journaled before it. A pass claims the pending rows by deleting them (a row two
/// replicas race for is claimed by one: PostgreSQL's delete waits for the other's and then finds it gone), merges
/// them per cell and adds each cell with one upsert, <see cref="Chunk"/> rows to a transaction. A second's worth of
/// batches thus costs one upsert per cell and chunk instead of one per cell and batch. Chunks keep each transaction short:
/// on SQLite it holds the write gate, and completed requests wait behind it for their journal commit.
/// </summary>
internal sealed partial class DailyUsageCompactor(SwitchboardStore store, ILogger<DailyUsageCompactor> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public const int Chunk = 256;
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>Brings <c>daily_usage</c> up to date with every pending row now in the store.</summary>
    public async Task CompactAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int claimed;
            do
            {
                claimed = await store.WriteAsync(async db =>
                {
                    var pending = await ClaimPendingAsync(db).ConfigureAwait(false);
                    await using var batch = new SqlBatch(db);
                    new LedgerStatements(batch).AddDailyUsage(DailyUsageCells.Merge(pending));
                    await batch.ExecuteAsync().ConfigureAwait(false);
                    return pending.Count;
                }, CancellationToken.None).ConfigureAwait(false);
            }
            while (claimed == Chunk);
        }
        finally
        {
            _pass.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await CompactAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The pending rows stay (the transaction rolled back) and the next pass takes them.
                Log.CompactFailed(logger, ex);
            }
        }
    }

    private static async Task<List<PendingDailyUsage>> ClaimPendingAsync(SwitchboardDbContext db)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"""
            DELETE FROM daily_usage_pending WHERE "Id" IN (SELECT "Id" FROM daily_usage_pending ORDER BY "Id" LIMIT {Chunk})
            RETURNING "AccountId", "Day", "ApiKeyId", "Model", "ProviderName", "Requests", "PromptTokens", "CompletionTokens", "ReasoningTokens", "Cost", "UpstreamCost"
            """;
        var rows = new List<PendingDailyUsage>();
        await using DbDataReader reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows.Add(new PendingDailyUsage
            {
                AccountId = reader.GetInt64(0),
                Day = reader.GetFieldValue<DateOnly>(1),
                ApiKeyId = reader.GetInt64(2),
                Model = reader.GetString(3),
                ProviderName = reader.GetString(4),
                Requests = reader.GetInt64(5),
                PromptTokens = reader.GetInt64(6),
                CompletionTokens = reader.GetInt64(7),
                ReasoningTokens = reader.GetInt64(8),
                Cost = reader.GetDecimal(9),
                UpstreamCost = reader.GetDecimal(10),
            });
        }
        return rows;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not fold pending activity into daily_usage; retrying on the next pass.")]
        public static partial void CompactFailed(ILogger logger, Exception exception);
    }
}
