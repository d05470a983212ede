using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Switchboard.Data;

/// <summary>
/// For <c>dotnet ef migrations add &lt;Name&gt; --context SqliteSwitchboardDbContext --output-dir Data/Migrations/Sqlite</c>.
/// Adding a migration never connects, so no real database is needed.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSwitchboardDbContext>
{
    public SqliteSwitchboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSwitchboardDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add &lt;Name&gt; --context PostgresSwitchboardDbContext --output-dir Data/Migrations/Postgres</c>.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSwitchboardDbContext>
{
    public PostgresSwitchboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSwitchboardDbContext>().UseNpgsql("Host=localhost;Database=switchboard").Options);
}
