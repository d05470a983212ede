using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Switchboard.Data;

/// <summary>
/// Inserts many rows of one entity in the caller's transaction: the journal's ledger entries and generation
/// records, which change tracking would cost tens of microseconds and kilobytes each. Columns, names and
/// conversions come from the EF model, so values are stored exactly as EF itself stores them (decimals as SQLite's
/// text or PostgreSQL's numeric, enums as strings, UTC dates) on either provider. SQLite runs one prepared statement
/// per row through its own API (in process, a row costs microseconds); PostgreSQL gets all rows in one statement,
/// a column per array (<c>INSERT … SELECT * FROM unnest(…)</c>), so a batch costs one round trip, not one per row.
/// </summary>
internal static class BulkInsert
{
    public static Task InsertAsync<T>(this SwitchboardDbContext db, IReadOnlyList<T> rows) where T : class =>
        InsertAsync(db, rows, onConflict: null);

    /// <summary>
    /// Inserts rows the same way, each with <paramref name="onConflict"/> (an <c>ON CONFLICT …</c> clause, the same
    /// on both providers) deciding what happens when its key is already there. Rows must not share a key.
    /// </summary>
    public static Task UpsertAsync<T>(this SwitchboardDbContext db, IReadOnlyList<T> rows, string onConflict) where T : class =>
        InsertAsync(db, rows, onConflict);

    private static async Task InsertAsync<T>(SwitchboardDbContext db, IReadOnlyList<T> rows, string? onConflict) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        if (connection is SqliteConnection sqlite)
        {
            SqliteInsert(sqlite, InsertStatement<T>.For(db), rows, onConflict);
            return;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        Fill(InsertStatement<T>.For(db), rows, onConflict, command.Parameters, command.CreateParameter, sql => command.CommandText = sql);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The rows as one command of <paramref name="batch"/> (PostgreSQL), or inserted at once through SQLite's API;
    /// either way within the batch's transaction.
    /// </summary>
    public static void Insert<T>(this SqlBatch batch, IReadOnlyList<T> rows, string? onConflict = null) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var insert = InsertStatement<T>.For(batch.Db);
        if (batch.Prepared is { } prepared)
        {
            Bind(prepared.Handle, prepared.Get(insert.ValuesSql(onConflict)), insert.Columns, rows);
            return;
        }
        if (batch.Db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            SqliteInsert(sqlite, insert, rows, onConflict);
            return;
        }
        var command = batch.AddCommand();
        Fill(insert, rows, onConflict, command.Parameters, command.CreateParameter, sql => command.CommandText = sql);
    }

    private static void Fill<T>(InsertStatement<T> insert, IReadOnlyList<T> rows, string? onConflict,
        DbParameterCollection parameters, Func<DbParameter> create, Action<string> setSql) where T : class
    {
        setSql(insert.ArraysSql(onConflict));
        for (var i = 0; i < insert.Columns.Length; i++)
        {
            var parameter = create();
            parameter.ParameterName = insert.ArrayParameters[i];
            parameter.Value = insert.Columns[i].ProviderArray(rows);
            parameters.Add(parameter);
        }
    }

    /// <summary>
    /// SQLite's own statement API: Microsoft.Data.Sqlite allocates a reader and a binder per value on every
    /// execution, which for a generation record's 30-odd columns was a third of the gateway's allocations. Values
    /// are bound in the text forms Microsoft.Data.Sqlite itself uses, so EF reads them back unchanged.
    /// </summary>
    private static void SqliteInsert<T>(SqliteConnection connection, InsertStatement<T> insert, IReadOnlyList<T> rows, string? onConflict) where T : class
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, insert.ValuesSql(onConflict), out var statement));
        using (statement)
        {
            Bind(db, statement, insert.Columns, rows);
        }
    }

    /// <summary>Runs a prepared insert once per row, leaving it reset for its next use.</summary>
    private static void Bind<T>(sqlite3 db, sqlite3_stmt statement, InsertColumn<T>[] columns, IReadOnlyList<T> rows) where T : class
    {
        try
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
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private static void Check(sqlite3 db, int result, int expected = raw.SQLITE_OK)
    {
        if (result != expected)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), result);
        }
    }

    /// <summary>The insert statements of an entity: every column but a store-generated key, worked out once per model.</summary>
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
            var into = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names})";
            ArrayParameters = [.. properties.Select((_, i) => $"@a{i}")];
            _sql = (
                $"{into} VALUES ({string.Join(", ", properties.Select((_, i) => $"@p{i}"))})",
                $"{into} SELECT * FROM unnest({string.Join(", ", properties.Select((p, i) => $"{ArrayParameters[i]}::{p.GetRelationalTypeMapping().StoreType}[]"))})");
        }

        private readonly (string Values, string Arrays) _sql;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Values, string Arrays)> _withConflict = new(StringComparer.Ordinal);

        public InsertColumn<T>[] Columns { get; }

        /// <summary>The names of the array parameters, one per column (PostgreSQL).</summary>
        public string[] ArrayParameters { get; }

        /// <summary>One row's values as parameters <c>@p0…</c>, then the conflict clause if any; built once per clause.</summary>
        public string ValuesSql(string? onConflict) => Texts(onConflict).Values;

        /// <summary>Every row at once: one array parameter <c>@a0…</c> per column (PostgreSQL), then the conflict clause if any.</summary>
        public string ArraysSql(string? onConflict) => Texts(onConflict).Arrays;

        private (string Values, string Arrays) Texts(string? onConflict) => onConflict is null
            ? _sql
            : _withConflict.GetOrAdd(onConflict, clause => ($"{_sql.Values} {clause}", $"{_sql.Arrays} {clause}"));

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
