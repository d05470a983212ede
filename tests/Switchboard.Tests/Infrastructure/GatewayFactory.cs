using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Billing;
using Switchboard.Health;
using Switchboard.Simulator;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A real gateway on Kestrel (loopback, random port) with its own SQLite file, pointed at the shared simulator.
/// Its admin account starts with <see cref="InitialCredits"/> and an inference key that
/// <see cref="CreateGatewayClient"/> sends by default.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    /// <summary>The admin account's management key (supplied through <c>Switchboard:Admin:InitialManagementKey</c>).</summary>
    public const string ManagementKey = "sk-sb-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public const decimal InitialCredits = 1000m;

    private readonly Dictionary<string, string?> _settings;
    private TimeProvider? _clock;
    private Action<IServiceCollection>? _testServices;
    private bool _started;

    private GatewayFactory(Dictionary<string, string?> settings, bool ownsDataDirectory)
    {
        _settings = settings;
        DataDirectory = settings["Switchboard:Database:DataDirectory"]!;
        _ownsDataDirectory = ownsDataDirectory;
        // Listen through Kestrel's options, not UseKestrel(0): that overload rewrites the server's addresses after the
        // host is built, while the app's own thread may already be binding, and then throws "Addresses cannot be
        // modified after the server has started" (dotnet/aspnetcore#67714; two CI runs failed a start that way).
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>False when the test passed its own data directory, e.g. to share one database between gateways.</summary>
    private readonly bool _ownsDataDirectory;

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "switchboard.db");

    /// <summary>An inference key of the admin account, created at start.</summary>
    public string InferenceKey { get; private set; } = null!;

    /// <param name="testServices">Replaces services after the gateway's own registrations, e.g. a fake DNS resolver.</param>
    public static async Task<GatewayFactory> StartAsync(
        IDictionary<string, string?>? overrides = null, bool useTestCatalog = true, TimeProvider? clock = null, Action<IServiceCollection>? testServices = null)
    {
        var simulator = await SharedSimulator.GetAsync();
        var settings = DefaultSettings(simulator, useTestCatalog);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var ownsDataDirectory = overrides?.ContainsKey("Switchboard:Database:DataDirectory") != true;
        var factory = new GatewayFactory(settings, ownsDataDirectory) { _clock = clock, _testServices = testServices };
        factory.StartServer();
        factory._started = true;
        using var management = factory.CreateGatewayClient(ManagementKey);
        factory.InferenceKey = (await management.CreateKeyAsync(new { name = "tests" })).Key;
        return factory;
    }

    /// <summary>
    /// For keep-alive tests, whose upstream waits 1.3 s before its headers: the default 2 s header timeout leaves a
    /// loaded CI machine too little margin (a fresh-clone run once timed out there instead of seeing keep-alives).
    /// </summary>
    public static Dictionary<string, string?> PatientStreamingHeaders() => new() { ["Switchboard:Timeouts:StreamingHeaders"] = "00:00:15" };

    public static Dictionary<string, string?> DefaultSettings(SimulatorServer simulator, bool useTestCatalog)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // Long enough that a loaded CI machine answers an upstream error before the first keep-alive commits the
            // stream to 200 (tests of errors before the first byte assert the status); short enough for the keep-alive tests.
            ["Switchboard:Streaming:KeepAliveInterval"] = "00:00:00.500",
            ["Switchboard:Health:FailureThreshold"] = "3",
            // Off by default in production (a cost on every connection's output); on here, so the suite, the fuzzer
            // and the malformed-HTTP tests included, holds Kestrel's rejections to our error shape.
            ["Switchboard:Network:RejectionBodies"] = "true",
            ["Switchboard:Health:CoolDown"] = "00:10:00",
            ["Switchboard:Timeouts:StreamingHeaders"] = "00:00:02",
            ["Switchboard:Timeouts:NonStreamingResponse"] = "00:00:03",
            ["Switchboard:Timeouts:StreamIdle"] = "00:00:02",
            ["Switchboard:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n")),
            ["Switchboard:Admin:InitialManagementKey"] = ManagementKey,
            ["Switchboard:Admin:InitialCredits"] = InitialCredits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Tests of the free-model limits start their own gateway; here they would only make tests depend on each other.
            ["Switchboard:RateLimits:FreeRequestsPerMinute"] = "1000000",
            ["Switchboard:RateLimits:FreeRequestsPerDay"] = "1000000",
            // Every client of a test gateway comes from 127.0.0.1: wrong keys sent by one test (there are many, on
            // purpose) must not throttle the next test's new keys. Tests of the throttle set their own limit.
            ["Switchboard:Authentication:FailuresPerMinute"] = "1000000",
        };
        if (useTestCatalog)
        {
            settings["Switchboard:CatalogPath"] = TestCatalog.FilePath;
            foreach (var slug in TestCatalog.SimulatedProviders)
            {
                settings[$"Switchboard:Providers:{slug}:BaseUrl"] = simulator.ProviderBaseUrl(slug).ToString();
                settings[$"Switchboard:Providers:{slug}:ApiKey"] = $"key-{slug}";
            }
            settings["Switchboard:Providers:dead:ApiKey"] = "key-dead";
        }
        return settings;
    }

    /// <summary>A client that sends <paramref name="key"/> (by default the admin account's inference key).</summary>
    public HttpClient CreateGatewayClient(string? key = null)
    {
        var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key ?? InferenceKey);
        return client;
    }

    /// <summary>
    /// A client whose connections come from <paramref name="source"/>, a loopback address other than 127.0.0.1 (on
    /// Linux the whole of 127.0.0.0/8 is local), so that per-address throttles can be shown to stay per address.
    /// </summary>
    public HttpClient CreateClientFrom(IPAddress source, string? key = null)
    {
        using var probe = CreateClient();
        var port = probe.BaseAddress!.Port;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = probe.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    /// <summary>A client with no <c>Authorization</c> header.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    /// <summary>
    /// Set by a test whose simulator is scripted to report more usage than was held (a lying provider), so the
    /// audit at disposal expects uncollected lines; every other invariant must still hold.
    /// </summary>
    public bool ExpectsUncollected { get; set; }

    /// <summary>
    /// Every scenario ends audited: disposing the gateway checks each money invariant the audit can see (balances
    /// equal their ledgers, reservations equal live leases, no charge took a balance below zero, no key spent past
    /// its limit, and no usage went uncollected unless the test said it would), so honest traffic in every test of
    /// the suite is shown to stay within its holds.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        Exception? broken = null;
        try
        {
            await AssertMoneyInvariantsAsync();
        }
        catch (Exception ex)
        {
            broken = ex;
        }
        await base.DisposeAsync();
        DeleteDataDirectory();
        if (broken is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(broken);
        }
    }

    private async Task AssertMoneyInvariantsAsync()
    {
        if (!_started)
        {
            return;
        }
        await Services.GetRequiredService<LedgerJournal>().FlushAsync();
        var report = await Services.GetRequiredService<LedgerAudit>().RunAsync();
        var broken = report.Accounts
            .Where(a => a.Balance != a.LedgerSum || a.Reserved != a.Leased || a.Reserved < 0m || a.StaleLeases > 0 || a.LowestBalance < 0m
                || (a.Uncollected != 0m && !ExpectsUncollected))
            .Select(a => $"account {a.AccountId}: {string.Join("; ", a.Problems)}")
            .Concat(report.Keys.Where(k => !k.Balanced).Select(k => $"key {k.KeyId}: {string.Join("; ", k.Problems)}"))
            .ToList();
        Assert.True(broken.Count == 0, "The ledger audit at the end of the scenario found broken invariants:\n" + string.Join("\n", broken));
    }

    private void DeleteDataDirectory()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDataDirectory)
        {
            return;
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
    }

    public void ResetHealth() => Services.GetRequiredService<EndpointHealthRegistry>().Reset();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (_clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(_clock));
        }
        if (_testServices is not null)
        {
            builder.ConfigureTestServices(_testServices);
        }
    }
}
