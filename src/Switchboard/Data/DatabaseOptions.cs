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
}

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
