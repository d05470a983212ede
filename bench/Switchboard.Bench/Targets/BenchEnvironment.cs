using Switchboard.Bench.Scenarios;
using Switchboard.Bench.Hosting;

namespace Switchboard.Bench.Targets;

/// <summary>
/// The simulator, nginx, the gateway and Portkey, each on its own loopback port, and the targets they make up
/// (those <see cref="BenchOptions.Targets"/> asks for). Disposing stops all of them.
/// </summary>
internal sealed class BenchEnvironment : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly List<ProcessHost> _hosts = [];

    private BenchEnvironment(string workDirectory) => WorkDirectory = workDirectory;

    public string WorkDirectory { get; }

    public IReadOnlyList<Target> Targets { get; private set; } = [];

    public IReadOnlyList<ProcessHost> Hosts => _hosts;

    /// <summary>The upstream simulator every target leads to.</summary>
    public ProcessHost Simulator => _hosts[0];

    /// <summary>The gateway's base URL, null when switchboard is not a target.</summary>
    public Uri? GatewayUrl { get; private set; }

    /// <summary>The simulator's cleartext HTTP/2 port, which gateways reach it on.</summary>
    public int SimulatorHttp2Port { get; private set; }

    public static async Task<BenchEnvironment> StartAsync(BenchOptions options, string workDirectory, CancellationToken cancellationToken)
    {
        var environment = new BenchEnvironment(workDirectory);
        try
        {
            await environment.StartAllAsync(options, cancellationToken);
            return environment;
        }
        catch
        {
            environment.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // Front to back, so nothing logs a burst of upstream failures while it is being stopped.
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            _hosts[i].Dispose();
        }

        _hosts.Clear();
        OtlpSink?.Dispose();
    }

    private async Task StartAllAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        // One simulator process, two doors: HTTP/1.1 for direct, nginx and Portkey, and cleartext HTTP/2 for the
        // gateway, which is configured for it (Providers:sim:Http2) as an operator would for a local h2c server.
        var simulatorPort = FreePort.Next();
        var simulatorHttp2Port = SimulatorHttp2Port = FreePort.Next();
        var simulator = Add(ProcessHost.Start(
            "simulator",
            "dotnet",
            [options.SimulatorDll, "--urls", Url(simulatorPort), "--h2c-urls", Url(simulatorHttp2Port), "--no-record"],
            DotnetEnvironment(),
            Path.Combine(WorkDirectory, "simulator.log")));
        await simulator.WaitForPortAsync(simulatorPort, StartTimeout, cancellationToken);
        await simulator.WaitForPortAsync(simulatorHttp2Port, StartTimeout, cancellationToken);

        var upstreamPath = $"/{BenchCatalog.Provider}/v1/chat/completions";
        var targets = new List<Target> { new(Target.Direct, new Uri(Url(simulatorPort) + upstreamPath), [simulator], null, []) };
        if (options.Targets.Contains(Target.Nginx))
        {
            var nginxPort = FreePort.Next();
            var nginx = Add(await NginxTarget.StartAsync(options, WorkDirectory, nginxPort, simulatorPort, cancellationToken));
            await nginx.WaitForPortAsync(nginxPort, StartTimeout, cancellationToken);
            targets.Add(new Target(Target.Nginx, new Uri(Url(nginxPort) + upstreamPath), [simulator, nginx], nginx, []));
        }

        if (options.Targets.Contains(Target.Switchboard))
        {
            targets.Add(await StartGatewayAsync(options, simulator, simulatorHttp2Port, cancellationToken));
        }

        foreach (var variant in Target.Variants.Where(options.Targets.Contains))
        {
            targets.Add(await StartVariantAsync(options, variant, simulatorHttp2Port, cancellationToken));
        }

        if (options.Targets.Contains(Target.Portkey))
        {
            var portkeyPort = FreePort.Next();
            var portkey = Add(PortkeyTarget.Start(options, WorkDirectory, portkeyPort));
            await portkey.WaitForPortAsync(portkeyPort, StartTimeout, cancellationToken);
            var upstream = new Uri($"{Url(simulatorPort)}/{BenchCatalog.Provider}/v1");
            targets.Add(new Target(
                Target.Portkey, new Uri(Url(portkeyPort) + "/v1/chat/completions"), [simulator, portkey], portkey, PortkeyTarget.Headers(upstream)));
        }

        Targets = targets;
        foreach (var target in Targets)
        {
            await TargetProbe.EnsureReachesSimulatorAsync(target, cancellationToken);
        }
    }

    private async Task<Target> StartGatewayAsync(BenchOptions options, ProcessHost simulator, int simulatorHttp2Port, CancellationToken cancellationToken)
    {
        var (gateway, url) = await StartGatewayProcessAsync(options.GatewayDll, Target.Switchboard, simulatorHttp2Port, new Dictionary<string, string>(), cancellationToken);
        GatewayUrl = url;

        // Every request carries an inference key, as real clients' do, so the gateway's figures include
        // authentication, the credit reservation and its settlement. The same header goes to every other target.
        using var keys = new InferenceKeys(GatewayUrl, ManagementKey);
        BenchHttp.ApiKey = await keys.CreateAsync("bench", cancellationToken);
        return new Target(Target.Switchboard, new Uri(GatewayUrl, "/api/v1/chat/completions"), [simulator, gateway], gateway, []);
    }

    /// <summary>
    /// The gateway as <see cref="Target.Switchboard"/> runs it but for one group of settings, or another build
    /// (<see cref="Target.SwitchboardReference"/>): telemetry off entirely,
    /// or traces and metrics exported over OTLP (every request sampled, metrics pushed every 5 s) to
    /// <see cref="OtlpSink"/>; or completions made durable another way, or not at all (<see cref="Target.SwitchboardUndurable"/>,
    /// <see cref="Target.SwitchboardCommit"/>). Its own process, data directory and inference key.
    /// </summary>
    private async Task<Target> StartVariantAsync(BenchOptions options, string name, int simulatorHttp2Port, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string> { ["Switchboard__Database__DataDirectory"] = Path.Combine(WorkDirectory, $"data-{name}") };
        if (name == Target.SwitchboardNoTelemetry)
        {
            settings["Switchboard__Telemetry__Prometheus"] = "false";
        }
        else if (name == Target.SwitchboardUndurable)
        {
            settings["Switchboard__Billing__Durability"] = "None";
        }
        else if (name == Target.SwitchboardCommit)
        {
            settings["Switchboard__Billing__Durability"] = "Commit";
        }
        else if (name == Target.SwitchboardTraced)
        {
            OtlpSink ??= Hosting.OtlpSink.Start();
            settings["Switchboard__Telemetry__OtlpEndpoint"] = OtlpSink.Endpoint.ToString();
            settings["Switchboard__Telemetry__OtlpExportInterval"] = "00:00:05";
            settings["Switchboard__Telemetry__TraceSampleRatio"] = "1";
        }
        // The reference build changes no setting, only the build.
        var dll = name == Target.SwitchboardReference ? options.ReferenceGatewayDll! : options.GatewayDll;
        var (gateway, url) = await StartGatewayProcessAsync(dll, name, simulatorHttp2Port, settings, cancellationToken);
        using var keys = new InferenceKeys(url, ManagementKey);
        var key = await keys.CreateAsync("bench", cancellationToken);
        return new Target(name, new Uri(url, "/api/v1/chat/completions"), [Simulator, gateway], gateway, [], key);
    }

    /// <summary>Where the traced gateway exports to; null unless <see cref="Target.SwitchboardTraced"/> is measured.</summary>
    public OtlpSink? OtlpSink { get; private set; }

    /// <summary>
    /// A second gateway, on PostgreSQL, for the journal phase's comparison: its own process and inference key (the
    /// target's, since <see cref="BenchHttp.ApiKey"/> is the first gateway's). Stopped with the environment.
    /// </summary>
    public async Task<Target> StartPostgresGatewayAsync(BenchOptions options, string connectionString, CancellationToken cancellationToken)
    {
        var (gateway, url) = await StartGatewayProcessAsync(options.GatewayDll, "switchboard-pg", SimulatorHttp2Port, new Dictionary<string, string>
        {
            ["Switchboard__Database__Provider"] = "Postgres",
            ["Switchboard__Database__ConnectionString"] = connectionString,
        }, cancellationToken);
        using var keys = new InferenceKeys(url, ManagementKey);
        var key = await keys.CreateAsync("bench", cancellationToken);
        return new Target("switchboard-pg", new Uri(url, "/api/v1/chat/completions"), [Simulator, gateway], gateway, [], key);
    }

    private async Task<(ProcessHost Gateway, Uri Url)> StartGatewayProcessAsync(
        string dll, string name, int simulatorHttp2Port, Dictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var gatewayPort = FreePort.Next();
        var gatewayEnvironment = DotnetEnvironment();
        gatewayEnvironment["Switchboard__CatalogPath"] = BenchCatalog.Write(WorkDirectory);
        gatewayEnvironment[$"Switchboard__Providers__{BenchCatalog.Provider}__BaseUrl"] = $"{Url(simulatorHttp2Port)}/{BenchCatalog.Provider}/v1";
        gatewayEnvironment[$"Switchboard__Providers__{BenchCatalog.Provider}__Http2"] = "true";
        gatewayEnvironment["Switchboard__Demo"] = "false";
        gatewayEnvironment["Switchboard__Database__DataDirectory"] = Path.Combine(WorkDirectory, "data");
        gatewayEnvironment["Switchboard__Admin__InitialManagementKey"] = ManagementKey;
        gatewayEnvironment["Switchboard__Admin__InitialCredits"] = "1000000";
        foreach (var (key, value) in settings)
        {
            gatewayEnvironment[key] = value;
        }
        var gateway = Add(ProcessHost.Start(
            name,
            "dotnet",
            [dll, "--urls", Url(gatewayPort)],
            gatewayEnvironment,
            Path.Combine(WorkDirectory, $"{name}.log")));
        await gateway.WaitForPortAsync(gatewayPort, StartTimeout, cancellationToken);
        return (gateway, new Uri(Url(gatewayPort)));
    }

    /// <summary>The gateway's admin management key, provisioned through configuration for the run.</summary>
    public const string ManagementKey = "sk-sb-v1-be4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4c";

    private ProcessHost Add(ProcessHost host)
    {
        _hosts.Add(host);
        return host;
    }

    private static string Url(int port) => $"http://127.0.0.1:{port}";

    /// <summary>Production settings and quiet logs, whatever the shell running the bench has set.</summary>
    public static Dictionary<string, string> DotnetEnvironment() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };
}
