using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Data;

internal static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store chosen by <c>Switchboard:Database:Provider</c> behind one
    /// <see cref="IDbContextFactory{SwitchboardDbContext}"/>, and migrates it at start-up.
    /// </summary>
    public static WebApplicationBuilder AddSwitchboardDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddSwitchboardDatabase();
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHostedService<SqliteCheckpointer>();
        return builder;
    }

    /// <summary>
    /// The store alone, without start-up work (what the command-line tools use). Settings are read when the
    /// store is first used, not here, so configuration added after registration (tests, hosts) is honoured.
    /// </summary>
    public static IServiceCollection AddSwitchboardDatabase(this IServiceCollection services, DatabaseOptions? options = null)
    {
        if (options is not null)
        {
            services.AddSingleton(options);
        }
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Database);
        services.AddPooledDbContextFactory<SqliteSwitchboardDbContext>((sp, db) =>
        {
            var settings = sp.GetRequiredService<DatabaseOptions>();
            db.UseSwitchboardSqlite(settings.ConnectionString ?? SqliteConnectionString(settings.SqliteFilePath));
        });
        services.AddPooledDbContextFactory<PostgresSwitchboardDbContext>((sp, db) =>
            db.UsePostgres(sp.GetRequiredService<DatabaseOptions>().ConnectionString!));
        services.AddSingleton<IDbContextFactory<SwitchboardDbContext>>(sp =>
            sp.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Postgres
                ? new SwitchboardDbContextFactory<PostgresSwitchboardDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresSwitchboardDbContext>>())
                : new SwitchboardDbContextFactory<SqliteSwitchboardDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteSwitchboardDbContext>>()));
        services.AddSingleton(sp => new DatabaseWriteGate(serialize: sp.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Sqlite));
        services.AddSingleton<SwitchboardStore>();
        services.AddSingleton<StartupLock>();
        return services;
    }

    public static string SqliteConnectionString(string path) => $"Data Source={path};Pooling=True;Default Timeout=30";

    public static DbContextOptionsBuilder UseSwitchboardSqlite(this DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSetup());

    public static DbContextOptionsBuilder UsePostgres(this DbContextOptionsBuilder db, string connectionString) =>
        db.UseNpgsql(WithPreparedStatements(connectionString));

    /// <summary>
    /// Unless the connection string says otherwise (<c>Max Auto Prepare</c>, 0 to turn it off), Npgsql prepares a
    /// statement once it has run twice on a connection and keeps it for the connection's life: the journal sends the
    /// same few statements in every batch, and parsing and planning them afresh was a third of a batch's time in
    /// PostgreSQL.
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    private sealed class SwitchboardDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<SwitchboardDbContext>
        where TContext : SwitchboardDbContext
    {
        public SwitchboardDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
