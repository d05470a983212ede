using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Data;

/// <summary>
/// The journal writes rows through SQLite's statement API rather than EF. They must be stored byte for byte as EF
/// stores them, or sums, comparisons and reads of money and dates would quietly differ between the two paths.
/// </summary>
public sealed class BulkInsertTests
{
    [Fact]
    public async Task Rows_inserted_in_bulk_are_stored_exactly_as_EF_stores_them()
    {
        await using var gateway = await GatewayFactory.StartAsync();
        var store = gateway.Services.GetRequiredService<SwitchboardStore>();
        var amounts = new[] { 0.000000000022m, 1m, -12.5m, 1234567.8901234567890123456789m, 0m, -0.1m };
        var at = new DateTime(2026, 11, 21, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234567);

        await store.WriteAsync(async db =>
        {
            db.Ledger.AddRange(amounts.Select(a => Entry(a, at, "ef")));
            db.Generations.Add(Record("gen-ef", at, amounts[3]));
            await db.SaveChangesAsync();
            await db.InsertAsync(amounts.Select(a => Entry(a, at, "bulk")).ToList());
            await db.InsertAsync([Record("gen-bulk", at, amounts[3])]);
            return 0;
        });

        using var sqlite = new SqliteConnection($"Data Source={gateway.DatabasePath};Mode=ReadOnly;Pooling=False");
        sqlite.Open();
        Assert.Equal(Rows(sqlite, "SELECT Amount, Kind, CreatedAt, GenerationId FROM ledger WHERE Note = 'ef' ORDER BY Id"),
            Rows(sqlite, "SELECT Amount, Kind, CreatedAt, GenerationId FROM ledger WHERE Note = 'bulk' ORDER BY Id"));
        const string generation = "SELECT CreatedAt, Day, Cost, UpstreamCost, Throughput, TokensEstimated, ProviderName, Status FROM generations WHERE Id = ";
        Assert.Equal(Rows(sqlite, generation + "'gen-ef'"), Rows(sqlite, generation + "'gen-bulk'"));

        await using var read = store.Read();
        var entries = await read.Ledger.Where(e => e.Note == "bulk").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(amounts, entries.Select(e => e.Amount));
        Assert.All(entries, e => Assert.Equal(at, e.CreatedAt));
        Assert.Equal(amounts.Sum(), await read.Ledger.Where(e => e.Note == "bulk").SumAsync(e => e.Amount));
    }

    private static LedgerEntry Entry(decimal amount, DateTime at, string note) => new()
    {
        AccountId = 1,
        Kind = LedgerEntryKind.Charge,
        Amount = amount,
        GenerationId = null,
        Note = note,
        CreatedAt = at,
    };

    private static GenerationRecord Record(string id, DateTime at, decimal cost) => new()
    {
        Id = id,
        AccountId = 1,
        ApiKeyId = 1,
        CreatedAt = at,
        Day = DateOnly.FromDateTime(at),
        RequestedModel = "test/billed",
        Model = "test/billed",
        ProviderName = null,
        Attempts = "[]",
        Status = 200,
        Cost = cost,
        UpstreamCost = null,
        Throughput = 123.45,
        TokensEstimated = true,
    };

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetDataTypeName(i)}:{reader.GetValue(i)}")));
        }
        Assert.NotEmpty(rows);
        return rows;
    }
}
