using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

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
