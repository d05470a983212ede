using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.RateLimiting;

/// <summary>A window of one scope: its start and end in Unix seconds.</summary>
internal readonly record struct WindowSpan(string Scope, long Start, long End);

/// <summary>What a lease got: <see cref="Granted"/> units (0 when the window is used up), and the window's count after it.</summary>
internal readonly record struct WindowLease(long Granted, long Count);

/// <summary>The windows' budgets in the store, as the limiters use them (a fake stands in for it in unit tests).</summary>
internal interface IRateWindows
{
    /// <summary>
    /// Grants <c>min(want, limit − count)</c> of the window's budget in one statement, so across the fleet no more
    /// than <paramref name="limit"/> is ever granted in a window.
    /// </summary>
    Task<WindowLease> LeaseAsync(WindowSpan window, long want, long limit, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="amount"/> to the window's count (no cap) and returns the count after it.</summary>
    Task<long> AddAsync(WindowSpan window, long amount, CancellationToken cancellationToken);

    /// <summary>Adds each window's amount in one transaction, in the windows' order (the caller sorts them).</summary>
    Task AddAllAsync(IReadOnlyList<(WindowSpan Window, long Amount)> additions, CancellationToken cancellationToken);

    /// <summary>The window's count (0 when nobody has used it).</summary>
    Task<long> ReadAsync(WindowSpan window, CancellationToken cancellationToken);
}

/// <summary>
/// <c>rate_windows</c> through plain SQL, the same statements on PostgreSQL and SQLite (<c>LEAST</c> is <c>MIN</c>
/// there). A lease, an addition and a read each touch one row in one statement, so they lock one row for as long as
/// the statement runs and can deadlock with nothing; <see cref="AddAllAsync"/> locks several, in scope order, and is
/// the only writer that does. SQLite writes take the store's write gate, like every other write there.
/// </summary>
internal sealed class RateWindowStore(SwitchboardStore store, DatabaseWriteGate gate) : IRateWindows
{
    private const string Columns = """rate_windows ("Scope", "WindowStart", "Count", "LastGrant", "ExpiresAt")""";
    private const string Conflict = """ON CONFLICT ("Scope", "WindowStart") DO UPDATE SET""";

    private static string Lease(bool sqlite)
    {
        var least = sqlite ? "MIN" : "LEAST";
        return $"""
            INSERT INTO {Columns} VALUES (@scope, @start, {least}(@want, @limit), {least}(@want, @limit), @end)
            {Conflict} "Count" = rate_windows."Count" + {least}(@want, @limit - rate_windows."Count"),
              "LastGrant" = {least}(@want, @limit - rate_windows."Count")
            WHERE rate_windows."Count" < @limit
            RETURNING "Count", "LastGrant"
            """;
    }

    private static readonly string LeaseSqlite = Lease(sqlite: true);
    private static readonly string LeasePostgres = Lease(sqlite: false);

    private const string Add = $"""
        INSERT INTO {Columns} VALUES (@scope, @start, @amount, 0, @end)
        {Conflict} "Count" = rate_windows."Count" + excluded."Count"
        RETURNING "Count"
        """;

    private const string Read = """SELECT "Count" FROM rate_windows WHERE "Scope" = @scope AND "WindowStart" = @start""";

    public Task<WindowLease> LeaseAsync(WindowSpan window, long want, long limit, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, sqlite) =>
        {
            await using var command = Command(connection, sqlite ? LeaseSqlite : LeasePostgres, window, ("@want", want), ("@limit", limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new WindowLease(reader.GetInt64(1), reader.GetInt64(0))
                : new WindowLease(0, limit); // the window was used up: the conditional update touched nothing
        }, cancellationToken);

    public Task<long> AddAsync(WindowSpan window, long amount, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, _) =>
        {
            await using var command = Command(connection, Add, window, ("@amount", amount));
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task AddAllAsync(IReadOnlyList<(WindowSpan Window, long Amount)> additions, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, _) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (window, amount) in additions)
            {
                await using var command = Command(connection, Add, window, ("@amount", amount));
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    public async Task<long> ReadAsync(WindowSpan window, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = Read;
        Parameter(command, "@scope", window.Scope);
        Parameter(command, "@start", window.Start);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } count and not DBNull
            ? Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>Deletes at most <paramref name="batch"/> windows that ended before <paramref name="now"/>; returns how many.</summary>
    public Task<int> SweepAsync(long now, int batch, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, _) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM rate_windows WHERE ("Scope", "WindowStart") IN
                  (SELECT "Scope", "WindowStart" FROM rate_windows WHERE "ExpiresAt" <= @now LIMIT @batch)
                """;
            Parameter(command, "@now", now);
            Parameter(command, "@batch", batch);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Registered gateway instances (this one included): the fleet a limit is shared by when the store cannot be reached.</summary>
    public async Task<int> CountInstancesAsync(CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.Instances.CountAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> WriteAsync<T>(Func<DbConnection, bool, Task<T>> work, CancellationToken cancellationToken)
    {
        // One statement in its own (implicit) transaction: a single round trip on PostgreSQL.
        await using var db = store.Read();
        var sqlite = db is SqliteSwitchboardDbContext;
        using var turn = sqlite ? await gate.EnterAsync(cancellationToken).ConfigureAwait(false) : default;
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(db.Database.GetDbConnection(), sqlite).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, string sql, WindowSpan window, params (string Name, long Value)[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Parameter(command, "@scope", window.Scope);
        Parameter(command, "@start", window.Start);
        Parameter(command, "@end", window.End);
        foreach (var (name, value) in values)
        {
            Parameter(command, name, value);
        }
        return command;
    }

    private static void Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
