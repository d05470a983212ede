using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Data;

/// <summary>
/// Checkpoints SQLite's write-ahead log in the background. Left to itself, SQLite checkpoints inside whichever commit
/// takes the log past 1,000 pages: it copies them into the database file and syncs it, milliseconds of work that
/// would land on a request waiting for its journal commit (it was the sequential benchmark's p99). Connections are
/// therefore opened with <c>wal_autocheckpoint=0</c> (<see cref="SqliteConnectionSetup"/>), and every
/// <see cref="Interval"/> this service checkpoints twice: first beside the writers, which copies nearly everything,
/// then under the write gate for the few pages written meanwhile (two syncs: about half a millisecond that writers
/// wait, once a second), making sure the next writer starts the log over from its beginning. Only a log copied to the
/// end, with no reader left in it, can start over: under steady writes a checkpoint beside them never gets there, and
/// the log grew by gigabytes.
/// </summary>
internal sealed partial class SqliteCheckpointer(
    IDbContextFactory<SwitchboardDbContext> contexts, DatabaseOptions options, DatabaseWriteGate gate, TimeProvider time, ILogger<SqliteCheckpointer> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CheckpointAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: SQLite checkpoints the log itself when the last connection closes.
        }
    }

    private async Task CheckpointAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var db = contexts.CreateDbContext();
            await db.Database.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
            var connection = db.Database.GetDbConnection();
            if (Checkpoint(connection, "PASSIVE").Log > 0)
            {
                using var turn = await gate.EnterAsync(stoppingToken).ConfigureAwait(false);
                Checkpoint(connection, "RESTART");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, ex); // the log keeps growing until a checkpoint succeeds
        }
    }

    /// <summary>
    /// A checkpoint that never waits for a lock (the connection's busy timeout is 0 meanwhile): the log's pages, and how
    /// many of them are copied. <c>RESTART</c> also makes sure no reader still reads the log, so the next writer starts
    /// it over; with a reader in it, it does what it can and the next pass tries again.
    /// </summary>
    private static (long Log, long Copied) Checkpoint(DbConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=0";
        command.ExecuteNonQuery();
        try
        {
            command.CommandText = $"PRAGMA wal_checkpoint({mode})";
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
        }
        finally
        {
            command.CommandText = $"PRAGMA busy_timeout={SqliteConnectionSetup.BusyTimeoutMilliseconds}";
            command.ExecuteNonQuery();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not checkpoint the SQLite write-ahead log; it grows until a checkpoint succeeds.")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
