namespace Switchboard.Simulator.Hosting;

/// <summary>How the host is being run.</summary>
/// <param name="Urls">Addresses Kestrel binds.</param>
/// <param name="Standalone">
/// True for the simulator's own process: read the embedded appsettings.json and command-line configuration and
/// react to Ctrl+C. Embedded hosts read no configuration at all, so a test or gateway process's
/// appsettings.json, ASPNETCORE_* variables or Kestrel endpoints cannot leak into the simulator.
/// </param>
/// <param name="ConfigurationArgs">Extra command-line configuration (standalone only).</param>
internal sealed record SimulatorHostSettings(IReadOnlyList<string> Urls, bool Standalone, string[] ConfigurationArgs);

/// <summary>Builds the minimal Kestrel application both entry points run.</summary>
internal static class SimulatorHost
{
    public static WebApplication Build(SimulatorHostSettings settings, SimulatorState state)
    {
        // The empty builder skips default configuration sources, HTTPS and hosting-startup scanning.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddRoutingCore();
        ConfigureLogging(builder, settings);
        if (!settings.Standalone)
        {
            builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        }

        var app = builder.Build();
        foreach (var url in settings.Urls)
        {
            app.Urls.Add(url);
        }

        app.Lifetime.ApplicationStopping.Register(state.Stop);
        SimulatorRoutes.Map(app, state);
        return app;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, SimulatorHostSettings settings)
    {
        // Per-request logging would dominate benchmark profiles, hence Warning unless configured otherwise.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (settings.Standalone)
        {
            using var defaults = typeof(SimulatorHost).Assembly.GetManifestResourceStream("Switchboard.Simulator.appsettings.json")
                ?? throw new InvalidOperationException("The embedded appsettings.json is missing.");
            builder.Configuration.AddJsonStream(defaults).AddCommandLine(settings.ConfigurationArgs);
            builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        }

        builder.Logging.AddConsole();
    }
}
