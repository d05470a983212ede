using Npgsql;

namespace Switchboard.Data;

/// <summary>
/// Serialises the start-up work of every process sharing a store: migrations and the admin bootstrap. Replicas
/// started at the same instant on an empty database would otherwise run the same migration twice and create two
/// admin accounts. PostgreSQL: a session advisory lock, on a connection of its own. SQLite: an exclusive lock on a
/// file beside the database (<c>switchboard.db.lock</c>). Either is released by the operating system or the server
/// if the process dies holding it, so a crash never leaves the store locked.
/// </summary>
internal sealed partial class StartupLock(DatabaseOptions options, ILogger<StartupLock> logger)
{
    /// <summary>An arbitrary constant that names this lock among the database's advisory locks ("SWBD" in ASCII).</summary>
    private const long AdvisoryKey = 0x53574244;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(1);

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var logged = false;
        while (true)
        {
            if (await TryAcquireAsync(cancellationToken).ConfigureAwait(false) is { } held)
            {
                return held;
            }
            if (!logged)
            {
                Log.Waiting(logger);
                logged = true;
            }
            if (DateTime.UtcNow - started > GiveUpAfter)
            {
                throw new TimeoutException("Another process has held the store's start-up lock for an hour; is a migration stuck?");
            }
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (options.Provider == DatabaseProvider.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false };
            var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", AdvisoryKey);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return new Held(connection.DisposeAsync); // closing the session releases the lock
            }
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        if (options.SqliteFile() is not { } path)
        {
            return new Held(() => ValueTask.CompletedTask); // an in-memory database has one process
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // FileShare.None takes an exclusive flock on Unix (and a share lock on Windows).
            var file = new FileStream($"{path}.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new Held(file.DisposeAsync);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed class Held(Func<ValueTask> release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => release();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Waiting for another process's start-up work on the store (migrations, first-start bootstrap).")]
        public static partial void Waiting(ILogger logger);
    }
}
