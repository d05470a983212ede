using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Switchboard.Data;

/// <summary>
/// Inserts many rows of one entity with one prepared command, in the caller's transaction: the journal's ledger
/// entries and generation records, which change tracking would cost tens of microseconds and kilobytes each.
/// Columns, names and conversions come from the EF model, so values are stored exactly as EF itself stores them
/// (decimals as SQLite's text or PostgreSQL's numeric, enums as strings, UTC dates) on either provider.
/// </summary>
internal static class BulkInsert
{
    public static Task InsertAsync<T>(this SwitchboardDbContext db, IReadOnlyList<T> rows) where T : class =>
        InsertAsync(db, rows, onConflict: null);

    /// <summary>
    /// Inserts rows the same way, each with <paramref name="onConflict"/> (an <c>ON CONFLICT … DO UPDATE</c> clause,
    /// the same on both providers) deciding what happens when its key is already there.
    /// </summary>
    public static Task UpsertAsync<T>(this SwitchboardDbContext db, IReadOnlyList<T> rows, string onConflict) where T : class =>
        InsertAsync(db, rows, onConflict);

    private static async Task InsertAsync<T>(SwitchboardDbContext db, IReadOnlyList<T> rows, string? onConflict) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var insert = InsertStatement<T>.For(db);
        var sql = onConflict is null ? insert.Sql : $"{insert.Sql} {onConflict}";
        var connection = db.Database.GetDbConnection();
        if (connection is SqliteConnection sqlite)
        {
            SqliteInsert(sqlite, sql, insert.Columns, rows);
            return;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        var parameters = new DbParameter[insert.Columns.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = insert.Columns[i].CreateParameter(command, $"@p{i}");
            command.Parameters.Add(parameters[i]);
        }
        await command.PrepareAsync().ConfigureAwait(false);
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = insert.Columns[i].ProviderValue(row) ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SQLite's own statement API: Microsoft.Data.Sqlite allocates a reader and a binder per value on every
    /// execution, which for a generation record's 30-odd columns was a third of the gateway's allocations. Values
    /// are bound in the text forms Microsoft.Data.Sqlite itself uses, so EF reads them back unchanged.
    /// </summary>
    private static void SqliteInsert<T>(SqliteConnection connection, string sql, InsertColumn<T>[] columns, IReadOnlyList<T> rows) where T : class
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < columns.Length; i++)
                {
                    Check(db, columns[i].Bind(statement, i + 1, row));
                }
                Check(db, raw.sqlite3_step(statement), expected: raw.SQLITE_DONE);
                raw.sqlite3_reset(statement);
            }
        }
    }

    private static void Check(sqlite3 db, int result, int expected = raw.SQLITE_OK)
    {
        if (result != expected)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), result);
        }
    }

    /// <summary>The insert statement of an entity: every column but a store-generated key, worked out once per model.</summary>
    private sealed class InsertStatement<T> where T : class
    {
        private static readonly Dictionary<IModel, InsertStatement<T>> Cache = [];
        private static readonly Lock CacheLock = new();

        private InsertStatement(IEntityType entity, ISqlGenerationHelper sql)
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var properties = entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd)).ToArray();
            Columns = [.. properties.Select(InsertColumn<T>.For)];
            var names = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
            var values = string.Join(", ", properties.Select((_, i) => $"@p{i}"));
            Sql = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values})";
        }

        public InsertColumn<T>[] Columns { get; }
        public string Sql { get; }

        public static InsertStatement<T> For(SwitchboardDbContext db)
        {
            lock (CacheLock)
            {
                if (!Cache.TryGetValue(db.Model, out var statement))
                {
                    statement = new InsertStatement<T>(db.Model.FindEntityType(typeof(T))!, db.GetService<ISqlGenerationHelper>());
                    Cache[db.Model] = statement;
                }
                return statement;
            }
        }
    }
}
