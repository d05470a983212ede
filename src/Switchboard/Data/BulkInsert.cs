using System.Data.Common;
using System.Globalization;
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
    public static async Task InsertAsync<T>(this SwitchboardDbContext db, IReadOnlyList<T> rows) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var columns = InsertColumns.For<T>(db);
        var connection = db.Database.GetDbConnection();
        if (connection is SqliteConnection sqlite)
        {
            SqliteInsert(sqlite, columns, rows);
            return;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = columns.Sql;
        var parameters = new DbParameter[columns.Properties.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = columns.Mappings[i].CreateParameter(command, $"@p{i}", value: null, columns.Properties[i].IsNullable);
            command.Parameters.Add(parameters[i]);
        }
        await command.PrepareAsync().ConfigureAwait(false);
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var value = columns.Getters[i].GetClrValue(row);
                if (value is not null && columns.Mappings[i].Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                parameters[i].Value = value ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SQLite's own statement API: Microsoft.Data.Sqlite allocates a reader and a binder per value on every
    /// execution, which for a generation record's 30-odd columns was a third of the gateway's allocations. Values
    /// are bound in the text forms Microsoft.Data.Sqlite itself uses, so EF reads them back unchanged.
    /// </summary>
    private static void SqliteInsert<T>(SqliteConnection connection, InsertColumns columns, IReadOnlyList<T> rows) where T : class
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, columns.Sql, out var statement));
        using (statement)
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < columns.Properties.Length; i++)
                {
                    var value = columns.Getters[i].GetClrValue(row);
                    if (value is not null && columns.Mappings[i].Converter is { } converter)
                    {
                        value = converter.ConvertToProvider(value);
                    }
                    Check(db, Bind(statement, i + 1, value));
                }
                Check(db, raw.sqlite3_step(statement), expected: raw.SQLITE_DONE);
                raw.sqlite3_reset(statement);
            }
        }
    }

    private static int Bind(sqlite3_stmt statement, int index, object? value)
    {
        // Text is bound as UTF-16 straight from the string or a stack buffer (SQLite copies it): no allocation.
        Span<char> formatted = stackalloc char[64];
        var length = 0;
        switch (value)
        {
            case null:
                return raw.sqlite3_bind_null(statement, index);
            case string text:
                return raw.sqlite3_bind_text16(statement, index, text);
            case long number:
                return raw.sqlite3_bind_int64(statement, index, number);
            case int number:
                return raw.sqlite3_bind_int(statement, index, number);
            case bool flag:
                return raw.sqlite3_bind_int(statement, index, flag ? 1 : 0);
            case double number:
                return raw.sqlite3_bind_double(statement, index, number);
            case decimal money when money.TryFormat(formatted, out length, "0.0###########################", CultureInfo.InvariantCulture):
            case DateTime time when time.TryFormat(formatted, out length, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture):
            case DateOnly day when day.TryFormat(formatted, out length, "yyyy-MM-dd", CultureInfo.InvariantCulture):
                return raw.sqlite3_bind_text16(statement, index, formatted[..length]);
            default:
                throw new NotSupportedException($"No SQLite binding for {value.GetType()}.");
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
    private sealed class InsertColumns
    {
        private static readonly Dictionary<(IModel, Type), InsertColumns> Cache = [];
        private static readonly Lock CacheLock = new();

        private InsertColumns(IEntityType entity, ISqlGenerationHelper sql)
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            Properties = [.. entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd))];
            Mappings = [.. Properties.Select(p => p.GetRelationalTypeMapping())];
            Getters = [.. Properties.Select(p => p.GetGetter())];
            var names = string.Join(", ", Properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
            var values = string.Join(", ", Properties.Select((_, i) => $"@p{i}"));
            Sql = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values})";
        }

        public IProperty[] Properties { get; }
        public RelationalTypeMapping[] Mappings { get; }
        public IClrPropertyGetter[] Getters { get; }
        public string Sql { get; }

        public static InsertColumns For<T>(SwitchboardDbContext db)
        {
            lock (CacheLock)
            {
                var key = (db.Model, typeof(T));
                if (!Cache.TryGetValue(key, out var columns))
                {
                    columns = new InsertColumns(db.Model.FindEntityType(typeof(T))!, db.GetService<ISqlGenerationHelper>());
                    Cache[key] = columns;
                }
                return columns;
            }
        }
    }
}
