using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Reads what gateway processes wrote to their store, as an operator would with sqlite3 or psql: for tests that
/// kill a process, and must look at the money without trusting a gateway to report it.
/// </summary>
internal sealed class StoreReader
{
    private readonly Func<DbConnection> _connect;

    private StoreReader(Func<DbConnection> connect) => _connect = connect;

    public static StoreReader Sqlite(string dataDirectory) =>
        new(() => new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "switchboard.db")};Mode=ReadOnly;Pooling=False"));

    public static StoreReader Postgres(string connectionString) => new(() => new NpgsqlConnection(connectionString));

    /// <summary>Charge lines per generation: how many, and their sum (positive USD).</summary>
    public async Task<Dictionary<string, (int Count, decimal Sum)>> ChargesAsync(long accountId)
    {
        var charges = new Dictionary<string, (int Count, decimal Sum)>();
        foreach (var row in await RowsAsync($"""SELECT "GenerationId", "Amount" FROM ledger WHERE "AccountId" = {accountId} AND "Kind" = 'Charge'"""))
        {
            var id = (string)row[0]!;
            var sum = charges.GetValueOrDefault(id);
            charges[id] = (sum.Count + 1, sum.Sum - Decimal(row[1]));
        }
        return charges;
    }

    /// <summary>Generation records of the account: status and cost.</summary>
    public async Task<Dictionary<string, (int Status, decimal Cost)>> RecordsAsync(long accountId) =>
        (await RowsAsync($"""SELECT "Id", "Status", "Cost" FROM generations WHERE "AccountId" = {accountId}"""))
            .ToDictionary(r => (string)r[0]!, r => (Convert.ToInt32(r[1], CultureInfo.InvariantCulture), Decimal(r[2])));

    public async Task<(decimal Balance, decimal Reserved)> AccountAsync(long accountId)
    {
        var row = (await RowsAsync($"""SELECT "Balance", "Reserved" FROM accounts WHERE "Id" = {accountId}""")).Single();
        return (Decimal(row[0]), Decimal(row[1]));
    }

    public async Task<long> CountAsync(string sql) => Convert.ToInt64((await RowsAsync(sql)).Single()[0], CultureInfo.InvariantCulture);

    private async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var connection = _connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var values = new object?[reader.FieldCount];
            reader.GetValues(values!);
            rows.Add([.. values.Select(v => v is DBNull ? null : v)]);
        }
        return rows;
    }

    /// <summary>SQLite keeps decimals as text (as EF writes them); PostgreSQL as numeric.</summary>
    private static decimal Decimal(object? value) => value switch
    {
        decimal d => d,
        string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        null => 0m,
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };
}
