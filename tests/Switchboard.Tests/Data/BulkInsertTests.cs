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
        // Every column, its storage class and its text, but the key and the marker that tells the two apart.
        Assert.Equal(Rows(sqlite, "SELECT * FROM ledger WHERE Note = 'ef' ORDER BY Id", except: ["Id", "Note"]),
            Rows(sqlite, "SELECT * FROM ledger WHERE Note = 'bulk' ORDER BY Id", except: ["Id", "Note"]));
        Assert.Equal(Rows(sqlite, "SELECT * FROM generations WHERE Id = 'gen-ef'", except: ["Id"]),
            Rows(sqlite, "SELECT * FROM generations WHERE Id = 'gen-bulk'", except: ["Id"]));

        await using var read = store.Read();
        var entries = await read.Ledger.Where(e => e.Note == "bulk").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(amounts, entries.Select(e => e.Amount));
        Assert.All(entries, e => Assert.Equal(at, e.CreatedAt));
        Assert.Equal(amounts.Sum(), await read.Ledger.Where(e => e.Note == "bulk").SumAsync(e => e.Amount));
        await RemoveSyntheticRowsAsync(store);
    }

    [PostgresFact]
    public async Task On_PostgreSQL_rows_inserted_in_one_statement_are_stored_exactly_as_EF_stores_them()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Database:Provider"] = "Postgres",
            ["Switchboard:Database:ConnectionString"] = database.ConnectionString,
        });
        var store = gateway.Services.GetRequiredService<SwitchboardStore>();
        var amounts = new[] { 0.000000000022m, 1m, -12.5m, 1234567.8901234567890123456789m, 0m, -0.1m };
        var at = new DateTime(2026, 11, 21, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234560); // PostgreSQL keeps microseconds

        await store.WriteAsync(async db =>
        {
            db.Ledger.AddRange(amounts.Select(a => Entry(a, at, "ef")));
            db.Generations.Add(Record("gen-ef", at, amounts[3]));
            await db.SaveChangesAsync();
            await db.InsertAsync(amounts.Select(a => Entry(a, at, "bulk")).ToList());
            await db.InsertAsync([Record("gen-bulk", at, amounts[3]), Record("gen-bulk-2", at, amounts[0])]);
            return 0;
        });

        await using var read = store.Read();
        var ef = await read.Ledger.Where(e => e.Note == "ef").OrderBy(e => e.Id).ToListAsync();
        var bulk = await read.Ledger.Where(e => e.Note == "bulk").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(ef.Select(Columns), bulk.Select(Columns));
        Assert.Equal(amounts, bulk.Select(e => e.Amount));
        var records = await read.Generations.Where(g => g.Id == "gen-ef" || g.Id == "gen-bulk").OrderBy(g => g.Id).ToListAsync();
        Assert.Equal(Columns(records[1]), Columns(records[0]));
        await RemoveSyntheticRowsAsync(store);
    }

    /// <summary>Every column but the key and the marker, as text.</summary>
    private static string Columns<T>(T row) => string.Join("|", typeof(T).GetProperties()
        .Where(p => p.Name is not ("Id" or "Note"))
        .Select(p => $"{p.Name}={Convert.ToString(p.GetValue(row), System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>The rows above are synthetic, not money: gone again before the gateway's closing audit.</summary>
    private static Task<int> RemoveSyntheticRowsAsync(SwitchboardStore store) => store.WriteAsync(async db =>
    {
        await db.Ledger.Where(e => e.Note == "ef" || e.Note == "bulk").ExecuteDeleteAsync();
        return await db.Generations.Where(g => g.Id.StartsWith("gen-ef") || g.Id.StartsWith("gen-bulk")).ExecuteDeleteAsync();
    });

    // Alternating null and set optional columns, so both bindings of each are compared.
    private static LedgerEntry Entry(decimal amount, DateTime at, string note) => new()
    {
        AccountId = 1,
        ApiKeyId = amount < 0 ? null : 1,
        Kind = amount < 0 ? LedgerEntryKind.Refund : LedgerEntryKind.Charge,
        Amount = amount,
        GenerationId = amount < 0 ? null : "gen-charged",
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
        ProviderSlug = "simulated",
        Attempts = "[{\"provider\":\"Simulated\",\"outcome\":\"success\"}]",
        Status = 200,
        ErrorMessage = "Ünïcode — kept as text",
        TokensPrompt = 12,
        TokensCompletion = 34,
        TokensReasoning = 5,
        TokensCached = 6,
        TokensCacheWrite = 7,
        Cost = cost,
        UpstreamCost = null,
        IsByok = true,
        LatencyMs = 250,
        TimeToFirstTokenMs = 40,
        GenerationTimeMs = null,
        Throughput = 123.45,
        TokensEstimated = true,
        Streamed = true,
        User = "user-1",
    };

    private static List<string> Rows(SqliteConnection connection, string sql, string[] except)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount)
                .Where(i => !except.Contains(reader.GetName(i)))
                .Select(i => $"{reader.GetName(i)}={reader.GetDataTypeName(i)}/{reader.GetFieldType(i).Name}:{reader.GetValue(i)}")));
        }
        Assert.NotEmpty(rows);
        return rows;
    }
}
