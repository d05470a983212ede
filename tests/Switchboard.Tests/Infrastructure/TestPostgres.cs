using Npgsql;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A test that needs a PostgreSQL server. It runs when <c>SWITCHBOARD_TEST_POSTGRES</c> holds a connection string
/// to one whose user may create databases, and is reported as skipped otherwise.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestPostgres.ServerConnectionString is null)
        {
            Skip = "Set SWITCHBOARD_TEST_POSTGRES to a PostgreSQL connection string (a user that may create databases) to run this test.";
        }
    }
}

/// <summary>A theory that needs a PostgreSQL server, like <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (TestPostgres.ServerConnectionString is null)
        {
            Skip = "Set SWITCHBOARD_TEST_POSTGRES to a PostgreSQL connection string (a user that may create databases) to run this test.";
        }
    }
}

/// <summary>A database of its own on the test server, dropped when disposed.</summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public static string? ServerConnectionString { get; } =
        Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    private readonly string _name;

    private TestPostgres(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<TestPostgres> CreateAsync()
    {
        var name = $"switchboard_test_{Guid.NewGuid():n}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
        return new TestPostgres(name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
