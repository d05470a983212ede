namespace Switchboard.Lifecycle;

/// <summary>
/// <c>Switchboard healthcheck [url]</c>: asks a running gateway whether it is alive, for a container's
/// <c>HEALTHCHECK</c>. The runtime image has no curl or wget (and the chiseled one no shell), so the gateway's own
/// executable asks. With no URL it asks <c>/healthz</c> on the port this configuration listens on (the same
/// <c>Urls</c> setting the gateway reads, e.g. the image's <c>Urls=http://0.0.0.0:8080</c>), over loopback.
/// Exit codes: 0 the answer was 2xx, 1 anything else (an error status, no answer within 2 s, nothing listening),
/// 2 bad arguments.
/// </summary>
internal static class HealthCheckCommand
{
    /// <summary>Docker runs the check again after its interval; a gateway slower than this is not healthy anyway.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private const string Usage = """
        usage: healthcheck [url]

          Asks the gateway at url (default: /healthz on this configuration's first http address, over loopback)
          and exits 0 when it answers 2xx within 2 s, 1 otherwise. For readiness, pass .../readyz.
        """;

    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args is not ["healthcheck", .. var rest])
        {
            return false;
        }
        exitCode = Run(rest);
        return true;
    }

    private static int Run(string[] args)
    {
        if (args is ["help" or "--help" or "-h"])
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }
        var target = args switch
        {
            [] => DefaultUrl(ListeningConfiguration()),
            [var given] when Uri.TryCreate(given, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" => uri,
            _ => null,
        };
        if (target is null)
        {
            Console.Error.WriteLine(args.Length == 0
                ? "healthcheck: this configuration listens on no http address; give the URL to ask."
                : $"healthcheck: expected at most one absolute http(s) URL, got '{string.Join(' ', args)}'.");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        return ProbeAsync(target).GetAwaiter().GetResult();
    }

    private static async Task<int> ProbeAsync(Uri target)
    {
        // No proxy: the environment's HTTP_PROXY must not carry a loopback probe elsewhere.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = Timeout }) { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }
            Console.Error.WriteLine($"healthcheck: {target} answered {(int)response.StatusCode}.");
            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine(ex is TaskCanceledException
                ? $"healthcheck: {target} did not answer within {Timeout.TotalSeconds:0} s."
                : $"healthcheck: {target} could not be reached ({ex.Message}).");
            return 1;
        }
    }

    /// <summary>
    /// The settings the gateway takes its addresses from, in its order: <c>ASPNETCORE_</c> variables, the shipped
    /// <c>appsettings.json</c> (and the environment's), then unprefixed variables such as <c>Urls</c>.
    /// </summary>
    private static ConfigurationManager ListeningConfiguration()
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables("ASPNETCORE_");
        var environment = configuration["environment"] ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production;
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json"), optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        return configuration;
    }

    /// <summary>
    /// <c>/healthz</c> on the first http address of <c>urls</c> (or of <c>http_ports</c>, as Kestrel falls back to,
    /// or Kestrel's own default port 5000), with a wildcard or any-address host replaced by 127.0.0.1. Null when the
    /// gateway would listen on no http address.
    /// </summary>
    public static Uri? DefaultUrl(IConfiguration configuration)
    {
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            foreach (var entry in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                BindingAddress address;
                try
                {
                    address = BindingAddress.Parse(entry);
                }
                catch (FormatException)
                {
                    continue;
                }
                if (address.Scheme == "http" && !address.IsUnixPipe)
                {
                    var host = address.Host is "*" or "+" or "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : address.Host;
                    return new Uri($"http://{host}:{address.Port}/healthz");
                }
            }
            return null;
        }
        if (configuration["http_ports"] is { Length: > 0 } ports
            && int.TryParse(ports.Split(';', StringSplitOptions.TrimEntries)[0], out var port) && port is > 0 and <= 65535)
        {
            return new Uri($"http://127.0.0.1:{port}/healthz");
        }
        return new Uri("http://127.0.0.1:5000/healthz");
    }
}
