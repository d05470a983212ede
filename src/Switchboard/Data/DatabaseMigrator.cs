using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Data;

/// <summary>
/// Brings the store to the current schema before the gateway serves anything: creates the SQLite data
/// directory, applies pending migrations, and switches SQLite to WAL; under the <see cref="StartupLock"/>, so
/// processes starting together migrate one after the other (the later ones find nothing left to do).
/// </summary>
internal sealed partial class DatabaseMigrator(
    IDbContextFactory<SwitchboardDbContext> contexts,
    DatabaseOptions options,
    StartupLock startupLock,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    private static readonly TimeSpan MigrationTimeout = TimeSpan.FromHours(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var path = options.ConnectionString is { } custom ? new SqliteConnectionStringBuilder(custom).DataSource : options.SqliteFilePath;
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }
        }

        await using var held = await startupLock.AcquireAsync(cancellationToken);
        await using var db = contexts.CreateDbContext();
        // A migration may read a whole table: WebSettings sums every generation record into daily_usage, about two
        // seconds a million on PostgreSQL, whose 30 s default would fail the start of a large store for good.
        db.Database.SetCommandTimeout(MigrationTimeout);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Database.MigrateAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        Log.Migrated(logger, options.Provider, pending);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Database ready ({Provider}); {Pending} migration(s) applied.")]
        public static partial void Migrated(ILogger logger, DatabaseProvider provider, int pending);
    }
}
