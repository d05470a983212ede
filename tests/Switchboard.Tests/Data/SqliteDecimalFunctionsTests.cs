using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.Tests.Data;

/// <summary>
/// The journal's connection sums and compares money with native <c>ef_add</c>/<c>ef_compare</c> in place of EF's. Every
/// balance the journal writes goes through them, so they must give what EF's give, byte for byte: the same text for a
/// sum (EF reads it back), the same sign for a comparison, null for a null operand, and an error, never a wrong
/// number, where EF's fail.
/// </summary>
public sealed class SqliteDecimalFunctionsTests
{
    private static readonly object?[] Operands =
    [
        "0.1", "0.2", "-12.5", "1234567.8901234567890123456789", "0.000000000022", "-0.000000000022", "0.0", "0", "-0.0",
        "1.5E-5", "2e3", "79228162514264337593543950335", "-79228162514264337593543950335", "12.50", " 7", 5L, -3L, 2.5, null,
    ];

    [Fact]
    public void Sums_and_comparisons_are_exactly_EFs_for_every_pair_of_operands()
    {
        using var ef = Open(native: false);
        using var native = Open(native: true);
        foreach (var left in Operands)
        {
            foreach (var right in Operands)
            {
                Assert.Equal(Evaluate(ef, "ef_add", left, right), Evaluate(native, "ef_add", left, right));
                Assert.Equal(Evaluate(ef, "ef_compare", left, right), Evaluate(native, "ef_compare", left, right));
            }
        }
    }

    [Fact]
    public void A_sum_past_the_decimal_range_or_an_operand_that_is_not_a_number_fails_the_statement()
    {
        using var native = Open(native: true);
        Assert.StartsWith("error", Evaluate(native, "ef_add", "79228162514264337593543950335", "1"));
        Assert.StartsWith("error", Evaluate(native, "ef_add", "abc", "1"));
        Assert.StartsWith("error", Evaluate(native, "ef_compare", "1", "1.2.3"));
        Assert.Equal("text 0.3", Evaluate(native, "ef_add", "0.1", "0.2"));
    }

    [Fact]
    public void They_replace_EFs_on_the_connection_and_allocate_nothing_per_call()
    {
        // The other tests would pass with EF's own functions still in place; this one tells them apart by what EF's
        // cost: about 450 bytes a call against none.
        const int Calls = 10_000;
        using var ef = Open(native: false);
        using var native = Open(native: true);
        Assert.True(AllocatedBySums(ef, Calls) > Calls * 100L);
        Assert.True(AllocatedBySums(native, Calls) < Calls * 4L);
    }

    [Fact]
    public void A_balance_column_summed_down_to_nothing_reads_as_EFs_zero()
    {
        using var native = Open(native: true);
        using var command = native.Connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE t (b TEXT NOT NULL); INSERT INTO t VALUES ('10.0');
            UPDATE t SET b = ef_add(b, '-0.000001'); UPDATE t SET b = ef_add(b, '-9.999999');
            SELECT b, ef_compare(b, '0') FROM t;
            """;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("0.0", reader.GetString(0));
        Assert.Equal(0L, reader.GetInt64(1));
    }

    /// <summary>Bytes this thread allocated while one statement called ef_add and ef_compare <paramref name="calls"/> times each.</summary>
    private static long AllocatedBySums(Context context, int calls)
    {
        using var command = context.Connection.CreateCommand();
        command.CommandText = """
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $calls)
            SELECT count(ef_add(x, '0.5')), sum(ef_compare(x, '2.5')) FROM n
            """;
        command.Parameters.AddWithValue("$calls", calls);
        command.ExecuteScalar(); // statement prepared and the callbacks' code compiled before measuring
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal((long)calls, command.ExecuteScalar());
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>The result's storage class and text, or "error" when the statement failed.</summary>
    private static string Evaluate(Context context, string function, object? left, object? right)
    {
        using var command = context.Connection.CreateCommand();
        command.CommandText = $"SELECT typeof({function}($l, $r)), {function}($l, $r)";
        command.Parameters.AddWithValue("$l", left ?? DBNull.Value);
        command.Parameters.AddWithValue("$r", right ?? DBNull.Value);
        try
        {
            using var reader = command.ExecuteReader();
            reader.Read();
            return $"{reader.GetString(0)} {(reader.IsDBNull(1) ? "null" : reader.GetString(1))}";
        }
        catch (SqliteException ex)
        {
            return $"error ({ex.SqliteErrorCode})";
        }
    }

    /// <summary>An in-memory database through EF, which registers its own functions on open; then ours if asked.</summary>
    private static Context Open(bool native)
    {
        var options = new DbContextOptionsBuilder<SqliteSwitchboardDbContext>().UseSqlite("Data Source=:memory:").Options;
        var db = new SqliteSwitchboardDbContext(options);
        db.Database.OpenConnection();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        if (native)
        {
            SqliteDecimalFunctions.Register(connection.Handle!);
        }
        return new Context(db, connection);
    }

    private sealed class Context(SqliteSwitchboardDbContext db, SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection => connection;

        public void Dispose()
        {
            db.Database.CloseConnection();
            db.Dispose();
        }
    }
}
