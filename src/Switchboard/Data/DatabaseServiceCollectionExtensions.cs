using Microsoft.EntityFrameworkCore;
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
        var options = builder.Configuration.GetSection($"{SwitchboardOptions.Section}:Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddSwitchboardDatabase(options);
        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    /// <summary>The store alone, without start-up work: what the command-line tools use.</summary>
    public static IServiceCollection AddSwitchboardDatabase(this IServiceCollection services, DatabaseOptions options)
    {
        if (options.Provider == DatabaseProvider.Postgres)
        {
            var connectionString = options.ConnectionString
                ?? throw new InvalidOperationException("Switchboard:Database:ConnectionString is required when Switchboard:Database:Provider is Postgres.");
            services.AddPooledDbContextFactory<PostgresSwitchboardDbContext>(db => db.UsePostgres(connectionString));
            services.AddSingleton<IDbContextFactory<SwitchboardDbContext>, SwitchboardDbContextFactory<PostgresSwitchboardDbContext>>();
            services.AddSingleton(new DatabaseWriteGate(serialize: false));
        }
        else
        {
            var connectionString = options.ConnectionString ?? SqliteConnectionString(options.SqliteFilePath);
            services.AddPooledDbContextFactory<SqliteSwitchboardDbContext>(db => db.UseSwitchboardSqlite(connectionString));
            services.AddSingleton<IDbContextFactory<SwitchboardDbContext>, SwitchboardDbContextFactory<SqliteSwitchboardDbContext>>();
            services.AddSingleton(new DatabaseWriteGate(serialize: true));
        }
        services.AddSingleton(options);
        services.AddSingleton<SwitchboardStore>();
        return services;
    }

    public static string SqliteConnectionString(string path) => $"Data Source={path};Pooling=True;Default Timeout=30";

    public static DbContextOptionsBuilder UseSwitchboardSqlite(this DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSetup());

    public static DbContextOptionsBuilder UsePostgres(this DbContextOptionsBuilder db, string connectionString) =>
        db.UseNpgsql(connectionString);

    private sealed class SwitchboardDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<SwitchboardDbContext>
        where TContext : SwitchboardDbContext
    {
        public SwitchboardDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
