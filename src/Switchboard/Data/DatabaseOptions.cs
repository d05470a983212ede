using Microsoft.Data.Sqlite;

namespace Switchboard.Data;

/// <summary><c>Switchboard:Database</c>: where accounts, keys, the ledger and generation records live.</summary>
internal sealed class DatabaseOptions
{
    /// <summary><see cref="DatabaseProvider.Sqlite"/> (embedded, the default) or <see cref="DatabaseProvider.Postgres"/>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Directory of the SQLite file <c>switchboard.db</c>; created at start-up. Relative paths start at the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Required for PostgreSQL. For SQLite it replaces the file under <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    public string SqliteFilePath => Path.GetFullPath(Path.Combine(DataDirectory, "switchboard.db"));

    /// <summary>
    /// The SQLite database file in use, from <see cref="ConnectionString"/> when set; null for PostgreSQL and for an
    /// in-memory database (which has one process and nothing beside it on disk).
    /// </summary>
    public string? SqliteFile()
    {
        if (Provider != DatabaseProvider.Sqlite)
        {
            return null;
        }
        var path = ConnectionString is { } custom ? new SqliteConnectionStringBuilder(custom).DataSource : SqliteFilePath;
        return string.IsNullOrEmpty(path) || path == ":memory:" ? null : Path.GetFullPath(path);
    }
}

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
