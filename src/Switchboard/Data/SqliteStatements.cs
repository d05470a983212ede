using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Switchboard.Data;

/// <summary>
/// Prepared statements kept for the life of one SQLite connection, run through SQLite's own API: preparing a
/// statement costs more than running it, and Microsoft.Data.Sqlite prepares afresh on every command. The journal
/// owns one such connection, so a batch of one settled request costs tens of microseconds rather than hundreds.
/// Values are bound in the text forms Microsoft.Data.Sqlite itself uses, so EF reads them back unchanged.
/// Not thread-safe: one owner at a time.
/// </summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, Prepared> _prepared = new(StringComparer.Ordinal);

    public sqlite3 Handle => connection.Handle!;

    /// <summary>The statement for <paramref name="sql"/>, prepared on first use and reset for the next.</summary>
    public sqlite3_stmt Get(string sql) => Find(sql).Statement;

    private Prepared Find(string sql)
    {
        if (!_prepared.TryGetValue(sql, out var prepared))
        {
            Check(raw.sqlite3_prepare_v2(Handle, sql, out var statement));
            prepared = new Prepared(statement);
            _prepared[sql] = prepared;
        }
        return prepared;
    }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        var statement = Bound(sql, parameters);
        try
        {
            Check(raw.sqlite3_step(statement), raw.SQLITE_DONE);
            return raw.sqlite3_changes(Handle);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>The first row's columns as text or integers (null when there is no row).</summary>
    public object?[]? QueryRow(string sql, params (string Name, object? Value)[] parameters)
    {
        var statement = Bound(sql, parameters);
        try
        {
            var result = raw.sqlite3_step(statement);
            if (result == raw.SQLITE_DONE)
            {
                return null;
            }
            Check(result, raw.SQLITE_ROW);
            var values = new object?[raw.sqlite3_column_count(statement)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = raw.sqlite3_column_type(statement, i) switch
                {
                    raw.SQLITE_NULL => null,
                    raw.SQLITE_INTEGER => raw.sqlite3_column_int64(statement, i),
                    _ => raw.sqlite3_column_text(statement, i).utf8_to_string(),
                };
            }
            return values;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    public void Check(int result, int expected = raw.SQLITE_OK)
    {
        if (result != expected)
        {
            throw new SqliteException(raw.sqlite3_errmsg(Handle).utf8_to_string(), result);
        }
    }

    public void Dispose()
    {
        foreach (var prepared in _prepared.Values)
        {
            prepared.Statement.Dispose();
        }
        _prepared.Clear();
    }

    private sqlite3_stmt Bound(string sql, (string Name, object? Value)[] parameters)
    {
        var prepared = Find(sql);
        var statement = prepared.Statement;
        raw.sqlite3_clear_bindings(statement);
        foreach (var (name, value) in parameters)
        {
            var index = prepared.IndexOf(name);
            if (index > 0)
            {
                Check(Bind(statement, index, value));
            }
        }
        return statement;
    }

    /// <summary>A prepared statement and its parameters' positions, looked up once each (SQLite wants the name in UTF-8).</summary>
    private sealed class Prepared(sqlite3_stmt statement)
    {
        private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

        public sqlite3_stmt Statement => statement;

        public int IndexOf(string name)
        {
            if (!_indexes.TryGetValue(name, out var index))
            {
                index = raw.sqlite3_bind_parameter_index(statement, name);
                _indexes[name] = index;
            }
            return index;
        }
    }

    private static int Bind(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(statement, index),
        string text => raw.sqlite3_bind_text16(statement, index, text),
        long number => raw.sqlite3_bind_int64(statement, index, number),
        int number => raw.sqlite3_bind_int(statement, index, number),
        bool flag => raw.sqlite3_bind_int(statement, index, flag ? 1 : 0),
        decimal amount => SqliteValue.Bind(statement, index, amount),
        DateTime time => SqliteValue.Bind(statement, index, time),
        DateOnly day => SqliteValue.Bind(statement, index, day),
        _ => throw new NotSupportedException($"No SQLite binding for {value.GetType()}: {Convert.ToString(value, CultureInfo.InvariantCulture)}"),
    };
}
