using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Switchboard.Data;

/// <summary>
/// Per-connection SQLite settings. WAL (set once, it persists in the file) lets readers run beside the writer;
/// <c>synchronous=NORMAL</c> keeps every commit across a process crash (SIGKILL) and only risks the last
/// commits on power loss, without an fsync per request. No commit checkpoints the log: <see cref="SqliteCheckpointer"/>
/// does, in the background.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public const int BusyTimeoutMilliseconds = 30_000;
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0;";

    /// <summary>
    /// Native connections already set up. Microsoft.Data.Sqlite pools them, and every logical open of a pooled one
    /// would otherwise run the pragmas again, which the journal does a hundred times a second.
    /// </summary>
    private readonly ConditionalWeakTable<sqlite3, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection); // pragmas on a local file: nothing to await
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && _configured.TryGetValue(handle, out _))
        {
            return;
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
        if (connection is SqliteConnection { Handle: { } opened })
        {
            _configured.AddOrUpdate(opened, this);
        }
    }
}
