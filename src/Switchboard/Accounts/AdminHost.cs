using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Switchboard.Billing;
using Switchboard.Configuration;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Accounts;

/// <summary>
/// The services the <c>admin</c> commands need, configured as the gateway is, but with none of its hosted
/// services: the command line must not bootstrap an admin account, release a running gateway's reservations,
/// or poll for key changes.
/// </summary>
internal static class AdminHost
{
    public static IHost Build(IReadOnlyList<string> configurationArgs)
    {
        // The gateway's sources: WebApplication.CreateBuilder also reads ASPNETCORE_-prefixed variables (such as
        // ASPNETCORE_ENVIRONMENT) before the rest, so the same appsettings.{Environment}.json applies here.
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables("ASPNETCORE_");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. configurationArgs], Configuration = configuration });

        // Stdout carries only what a script captures, so logs go to stderr; and appsettings.json asks for
        // Information, which would narrate every command, so warnings and errors only (a console-specific
        // rule beats the configured defaults).
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);

        var services = builder.Services;
        services.AddOptions<SwitchboardOptions>().BindConfiguration(SwitchboardOptions.Section);
        services.AddSingleton(TimeProvider.System);
        var database = builder.Configuration.GetSection($"{SwitchboardOptions.Section}:Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSwitchboardDatabase(database);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Billing);
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<LedgerAudit>();
        services.AddSingleton<AccountAdministration>();
        services.AddSingleton<AdminOperations>();
        return builder.Build();
    }

    /// <summary>
    /// Closes this process's pooled SQLite connections. Closing the last one checkpoints the WAL into
    /// <c>switchboard.db</c>, so the file is complete on its own once a command has run (to copy or back up).
    /// </summary>
    public static void CloseConnections(IServiceProvider services)
    {
        var options = services.GetRequiredService<DatabaseOptions>();
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            using var connection = new SqliteConnection(options.ConnectionString ?? DatabaseServiceCollectionExtensions.SqliteConnectionString(options.SqliteFilePath));
            SqliteConnection.ClearPool(connection);
        }
    }
}
