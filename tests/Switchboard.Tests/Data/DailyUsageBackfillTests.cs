using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Tests.Generations;

namespace Switchboard.Tests.Data;

/// <summary>
/// A store upgraded from before the activity rollup already holds generation records. The migration that adds
/// the rollup sums them into it, exactly (SQLite keeps decimals as text, which SUM() would add as doubles).
/// </summary>
public sealed class DailyUsageBackfillTests
{
    [Fact]
    public async Task Migrating_a_store_with_records_fills_the_rollup_with_their_exact_sums()
    {
        var directory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        var options = new DbContextOptionsBuilder<SqliteSwitchboardDbContext>();
        options.UseSwitchboardSqlite(DatabaseServiceCollectionExtensions.SqliteConnectionString(Path.Combine(directory, "switchboard.db")));
        try
        {
            await BackfillEqualsRecordsAsync(() => new SqliteSwitchboardDbContext(options.Options));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The model's columns of <c>generations</c> that the table lacks, added (nullable) and named.</summary>
    private static async Task<List<string>> AddLaterColumnsAsync(SwitchboardDbContext db)
    {
        var sqlite = db.Database.IsSqlite();
        var existing = await db.Database.SqlQueryRaw<string>(sqlite
            ? "SELECT name AS \"Value\" FROM pragma_table_info('generations')"
            : "SELECT column_name AS \"Value\" FROM information_schema.columns WHERE table_name = 'generations'").ToListAsync();
        var table = StoreObjectIdentifier.Table("generations");
        var added = new List<string>();
        foreach (var property in db.Model.FindEntityType(typeof(GenerationRecord))!.GetProperties())
        {
            var column = property.GetColumnName(table)!;
            if (!existing.Contains(column))
            {
                var add = $"""ALTER TABLE generations ADD COLUMN "{column}" {property.GetColumnType()} NULL"""; // DDL: names from the model
                await db.Database.ExecuteSqlRawAsync(add);
                added.Add(column);
            }
        }
        return added;
    }

    /// <summary>
    /// Migrates a fresh store to the migration before the rollup, writes records as the journal did, migrates to
    /// the latest, and compares the rollup with the records summed in C#.
    /// </summary>
    internal static async Task BackfillEqualsRecordsAsync(Func<SwitchboardDbContext> store)
    {
        var today = new DateOnly(2026, 11, 21);
        decimal[] costs = [0.000001234m, 0.1m, 0.2m, 1.000000000000000001m, 0m];
        decimal?[] upstream = [null, 0.3m, 0.000000001m];
        var records = Enumerable.Range(0, 3000).Select(i => ActivityRollupTests.Record(
            accountId: 1 + i % 2, keyId: 10 + i % 3, today.AddDays(-(i % 4)), i % 5 < 3 ? "test/multi" : "test/other",
            (i % 7) switch { 0 => null, < 4 => "Alpha", _ => "Beta" }, costs[i % costs.Length], upstream[i % upstream.Length], tokens: i % 11))
            .ToList();

        await using (var db = store())
        {
            await db.GetService<IMigrator>().MigrateAsync("CompareVotes");
            await db.Database.OpenConnectionAsync();
            // The records are written with today's model; columns added to the table since that migration are there
            // only while they are written, so the later migrations meet the table as it was.
            var added = await AddLaterColumnsAsync(db);
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await db.InsertAsync(records); // as the journal wrote them
                await transaction.CommitAsync();
            }
            foreach (var column in added)
            {
                var drop = $"""ALTER TABLE generations DROP COLUMN "{column}" """; // DDL: names from the model, not input
                await db.Database.ExecuteSqlRawAsync(drop);
            }
        }
        await using (var db = store())
        {
            await db.Database.MigrateAsync();
            var rollup = await db.DailyUsage.AsNoTracking().ToListAsync();

            Assert.Equal(ActivityRollupTests.Describe(ActivityRollupTests.Expected(records)), ActivityRollupTests.Describe(rollup));
            Assert.Equal(records.Sum(r => r.Cost), rollup.Sum(u => u.Cost));
            Assert.Equal(records.Count, rollup.Sum(u => u.Requests));
        }
    }
}
