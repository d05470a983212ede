using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Switchboard.Data;

/// <summary>
/// Statements for the caller's transaction that do not depend on each other's results. On PostgreSQL they are
/// collected into one <see cref="DbBatch"/> and sent in one round trip by <see cref="ExecuteAsync"/>, in the order
/// added (which is the order rows are locked in: the caller adds them in the store's global lock order). On SQLite,
/// in process, each runs as it is added; on a connection with <see cref="SqliteStatements"/> (the journal's), through
/// statements prepared once.
/// </summary>
internal sealed class SqlBatch(SwitchboardDbContext db, SqliteStatements? prepared = null) : IAsyncDisposable
{
    private readonly DbConnection _connection = db.Database.GetDbConnection();
    private DbBatch? _batch;

    public SwitchboardDbContext Db => db;

    /// <summary>By the context's type: EF's <c>IsSqlite()</c> reads the provider's assembly name, allocating, on every call.</summary>
    public bool IsSqlite { get; } = db is SqliteSwitchboardDbContext;

    /// <summary>The connection's prepared statements, when it keeps them (SQLite, the journal's connection).</summary>
    public SqliteStatements? Prepared => prepared;

    private DbTransaction? Transaction => db.Database.CurrentTransaction?.GetDbTransaction();

    /// <summary>Queues (PostgreSQL) or runs (SQLite) a statement.</summary>
    public void Add(string sql, params (string Name, object? Value)[] parameters)
    {
        if (prepared is not null)
        {
            prepared.Execute(sql, parameters);
        }
        else if (IsSqlite)
        {
            ExecuteCommand(sql, parameters);
        }
        else
        {
            Queue(sql, parameters);
        }
    }

    // The command paths in methods of their own: their lambdas' closures would otherwise be allocated on every call,
    // the prepared path's included.
    private void ExecuteCommand(string sql, (string Name, object? Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = Transaction;
        Prepare(command.Parameters, command.CreateParameter, sql, parameters, text => command.CommandText = text);
        command.ExecuteNonQuery();
    }

    private void Queue(string sql, (string Name, object? Value)[] parameters)
    {
        var queued = AddCommand();
        Prepare(queued.Parameters, queued.CreateParameter, sql, parameters, text => queued.CommandText = text);
    }

    /// <summary>A command of the PostgreSQL batch, for statements whose parameters the caller builds itself.</summary>
    public DbBatchCommand AddCommand()
    {
        _batch ??= CreateBatch();
        var command = _batch.CreateBatchCommand();
        _batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>Runs one statement at once, for statements whose result decides what the caller does next.</summary>
    public async Task<int> ExecuteNowAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        if (prepared is not null)
        {
            return prepared.Execute(sql, parameters);
        }
        await using var command = _connection.CreateCommand();
        command.Transaction = Transaction;
        Prepare(command.Parameters, command.CreateParameter, sql, parameters, text => command.CommandText = text);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Reads one row at once (null when there is none).</summary>
    public Task<object?[]?> QueryRowAsync(string sql, params (string Name, object? Value)[] parameters) =>
        prepared is not null ? Task.FromResult(prepared.QueryRow(sql, parameters)) : QueryCommandAsync(sql, parameters);

    private async Task<object?[]?> QueryCommandAsync(string sql, (string Name, object? Value)[] parameters)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = Transaction;
        Prepare(command.Parameters, command.CreateParameter, sql, parameters, text => command.CommandText = text);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            return null;
        }
        var values = new object?[reader.FieldCount];
        reader.GetValues(values!);
        return values;
    }

    /// <summary>A decimal as either provider returns it: PostgreSQL's numeric, or the text SQLite (as EF writes it) keeps.</summary>
    public static decimal Decimal(object? value) => value switch
    {
        decimal d => d,
        string s => decimal.Parse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
        null or DBNull => 0m,
        _ => Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Sends what is queued (PostgreSQL). Rows affected, summed; 0 on SQLite, where every statement already ran.</summary>
    public async Task<int> ExecuteAsync()
    {
        if (_batch is not { BatchCommands.Count: > 0 } batch)
        {
            return 0;
        }
        _batch = null;
        await using (batch.ConfigureAwait(false))
        {
            return await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_batch is not null)
        {
            await _batch.DisposeAsync().ConfigureAwait(false);
        }
    }

    private DbBatch CreateBatch()
    {
        var batch = _connection.CreateBatch();
        batch.Transaction = Transaction;
        return batch;
    }

    private static void Prepare(DbParameterCollection collection, Func<DbParameter> create, string sql, (string Name, object? Value)[] parameters, Action<string> setSql)
    {
        setSql(sql);
        foreach (var (name, value) in parameters)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            collection.Add(parameter);
        }
    }
}
