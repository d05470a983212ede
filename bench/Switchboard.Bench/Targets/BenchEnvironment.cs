using Switchboard.Bench.Scenarios;
using Switchboard.Bench.Hosting;

namespace Switchboard.Bench.Targets;

/// <summary>
/// The simulator, nginx and the gateway, each on its own loopback port, and the three targets they make up.
/// Disposing stops all of them.
/// </summary>
internal sealed class BenchEnvironment : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly List<ProcessHost> _hosts = [];

    private BenchEnvironment(string workDirectory) => WorkDirectory = workDirectory;

    public string WorkDirectory { get; }

    public IReadOnlyList<Target> Targets { get; private set; } = [];

    public IReadOnlyList<ProcessHost> Hosts => _hosts;

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
    }

    private async Task StartAllAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var simulatorPort = FreePort.Next();
        var simulator = Add(ProcessHost.Start(
            "simulator",
            "dotnet",
            [options.SimulatorDll, "--urls", Url(simulatorPort), "--no-record"],
            DotnetEnvironment(),
            Path.Combine(WorkDirectory, "simulator.log")));
        await simulator.WaitForPortAsync(simulatorPort, StartTimeout, cancellationToken);

        var nginxPort = FreePort.Next();
        var nginx = Add(await NginxTarget.StartAsync(options, WorkDirectory, nginxPort, simulatorPort, cancellationToken));
        await nginx.WaitForPortAsync(nginxPort, StartTimeout, cancellationToken);

        var gatewayPort = FreePort.Next();
        var gatewayEnvironment = DotnetEnvironment();
        gatewayEnvironment["Switchboard__CatalogPath"] = BenchCatalog.Write(WorkDirectory);
        gatewayEnvironment[$"Switchboard__Providers__{BenchCatalog.Provider}__BaseUrl"] = $"{Url(simulatorPort)}/{BenchCatalog.Provider}/v1";
        gatewayEnvironment["Switchboard__Demo"] = "false";
        gatewayEnvironment["Switchboard__Database__DataDirectory"] = Path.Combine(WorkDirectory, "data");
        gatewayEnvironment["Switchboard__Admin__InitialManagementKey"] = ManagementKey;
        gatewayEnvironment["Switchboard__Admin__InitialCredits"] = "1000000";
        var gateway = Add(ProcessHost.Start(
            Target.Switchboard,
            "dotnet",
            [options.GatewayDll, "--urls", Url(gatewayPort)],
            gatewayEnvironment,
            Path.Combine(WorkDirectory, "switchboard.log")));
        await gateway.WaitForPortAsync(gatewayPort, StartTimeout, cancellationToken);
        BenchHttp.ApiKey = await CreateInferenceKeyAsync(new Uri(Url(gatewayPort)), cancellationToken);

        var upstreamPath = $"/{BenchCatalog.Provider}/v1/chat/completions";
        Targets =
        [
            new Target(Target.Direct, new Uri(Url(simulatorPort) + upstreamPath), [simulator], null),
            new Target(Target.Nginx, new Uri(Url(nginxPort) + upstreamPath), [simulator, nginx], nginx),
            new Target(Target.Switchboard, new Uri(Url(gatewayPort) + "/api/v1/chat/completions"), [simulator, gateway], gateway),
        ];
    }

    /// <summary>The gateway's admin management key, provisioned through configuration for the run.</summary>
    private const string ManagementKey = "sk-sb-v1-be4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4cbe4c";

    /// <summary>
    /// Every request carries an inference key, as real clients' do, so the gateway's figures include
    /// authentication, the credit reservation and its settlement. The same header goes to nginx and the upstream.
    /// </summary>
    private static async Task<string> CreateInferenceKeyAsync(Uri gateway, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ManagementKey);
        using var response = await http.PostAsync("/api/v1/keys", new StringContent("""{"name":"bench"}""", BenchHttp.Json), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailureException($"Could not create the bench's inference key: {(int)response.StatusCode} {body}");
        }
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("key").GetString()!;
    }

    private ProcessHost Add(ProcessHost host)
    {
        _hosts.Add(host);
        return host;
    }

    private static string Url(int port) => $"http://127.0.0.1:{port}";

    /// <summary>Production settings and quiet logs, whatever the shell running the bench has set.</summary>
    private static Dictionary<string, string> DotnetEnvironment() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };
}
