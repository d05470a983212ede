using System.Net;
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

    /// <summary>
    /// Stalls the gateway's store once a request has gone through it: the key is then known and the account's credit
    /// leased, which need the store; a request after it needs only the journal.
    /// </summary>
    public static async Task<StoreStall> AfterOneRequestAsync(GatewayFactory gateway, HttpClient client)
    {
        using (var first = await client.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        return await BeginAsync(gateway.DatabasePath);
    }

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
