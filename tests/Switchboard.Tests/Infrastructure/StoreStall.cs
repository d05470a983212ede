using Microsoft.Data.Sqlite;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A stalled store, as another process's long write transaction makes one: holds the SQLite file's write lock until
/// disposed. The gateway's writes wait behind it (and retry); its reads go on, as SQLite's WAL lets them.
/// </summary>
internal sealed class StoreStall : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private StoreStall(SqliteConnection connection) => _connection = connection;

    public static async Task<StoreStall> BeginAsync(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return new StoreStall(connection);
    }

    /// <summary>Ends the stall: closing the connection rolls its transaction back and releases the lock.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
