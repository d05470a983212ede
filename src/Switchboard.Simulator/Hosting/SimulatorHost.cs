using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Switchboard.Simulator.Hosting;

/// <summary>How the host is being run.</summary>
/// <param name="Urls">Addresses Kestrel binds.</param>
/// <param name="Standalone">
/// True for the simulator's own process: read the embedded appsettings.json and command-line configuration and
/// react to Ctrl+C. Embedded hosts read no configuration at all, so a test or gateway process's
/// appsettings.json, ASPNETCORE_* variables or Kestrel endpoints cannot leak into the simulator.
/// </param>
/// <param name="ConfigurationArgs">Extra command-line configuration (standalone only).</param>
/// <param name="Http2Urls">Addresses that speak cleartext HTTP/2 only (h2c with prior knowledge), as local model servers can.</param>
internal sealed record SimulatorHostSettings(IReadOnlyList<string> Urls, bool Standalone, string[] ConfigurationArgs, IReadOnlyList<string>? Http2Urls = null);

/// <summary>A built simulator host and the endpoints it listens on, whose bound ports are known once it has started.</summary>
internal sealed record SimulatorApp(WebApplication App, IReadOnlyList<ListenOptions> Http1, IReadOnlyList<ListenOptions> Http2)
{
    public static Uri BaseAddress(ListenOptions listen) => new($"http://{(listen.IPEndPoint!.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : listen.IPEndPoint.Address)}:{listen.IPEndPoint.Port}/");
}

/// <summary>Builds the minimal Kestrel application both entry points run.</summary>
internal static class SimulatorHost
{
    public static SimulatorApp Build(SimulatorHostSettings settings, SimulatorState state)
    {
        // The empty builder skips default configuration sources, HTTPS and hosting-startup scanning.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        var http1 = new List<ListenOptions>();
        var http2 = new List<ListenOptions>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var url in settings.Urls)
            {
                Listen(kestrel, url, HttpProtocols.Http1AndHttp2, http1);
            }
            foreach (var url in settings.Http2Urls ?? [])
            {
                Listen(kestrel, url, HttpProtocols.Http2, http2);
            }
        });
        builder.Services.AddRoutingCore();
        ConfigureLogging(builder, settings);
        if (!settings.Standalone)
        {
            builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        }

        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(state.Stop);
        SimulatorRoutes.Map(app, state);
        return new SimulatorApp(app, http1, http2);
    }

    /// <summary>Listens on a <c>--urls</c>-style address (<c>http://host:port</c>, port 0 for any free one).</summary>
    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, List<ListenOptions> bound)
    {
        var address = BindingAddress.Parse(url);
        var ip = address.Host is "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(address.Host.Trim('[', ']'), out var parsed) ? parsed
            : IPAddress.Any;
        kestrel.Listen(ip, address.Port, listen =>
        {
            listen.Protocols = protocols;
            bound.Add(listen);
        });
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
