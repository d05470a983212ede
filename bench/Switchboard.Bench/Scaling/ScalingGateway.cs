using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Bench.Hosting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// A gateway of the scaling phase: its own port, catalog file and data directory, configured through environment
/// variables as <see cref="BenchEnvironment"/> configures the main one.
/// </summary>
internal sealed class ScalingGateway : IDisposable
{
    /// <summary>The admin management key, provisioned when the template database is created and copied to every step.</summary>
    private const string ManagementKey = "sk-sb-v1-5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The audit sums the whole ledger, tens of millions of rows at the largest step.</summary>
    private static readonly TimeSpan AuditTimeout = TimeSpan.FromMinutes(15);

    private ScalingGateway(ProcessHost host, Uri baseUrl, TimeSpan startTime)
    {
        Host = host;
        BaseUrl = baseUrl;
        StartTime = startTime;
    }

    public ProcessHost Host { get; }

    public Uri BaseUrl { get; }

    public Uri ChatCompletionsUrl => new(BaseUrl, "/api/v1/chat/completions");

    /// <summary>From process start to listening: start-up work that grows with the data would show here.</summary>
    public TimeSpan StartTime { get; }

    public static async Task<ScalingGateway> StartAsync(
        string name, string gatewayDll, string catalogPath, string dataDirectory, string logPath, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var environment = BenchEnvironment.DotnetEnvironment();
        environment["Switchboard__CatalogPath"] = catalogPath;
        environment["Switchboard__Demo"] = "false";
        environment["Switchboard__Database__DataDirectory"] = dataDirectory;
        environment["Switchboard__Admin__InitialManagementKey"] = ManagementKey;
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        var started = Stopwatch.GetTimestamp();
        var host = ProcessHost.Start(name, "dotnet", [gatewayDll, "--urls", baseUrl.ToString().TrimEnd('/')], environment, logPath);
        try
        {
            await host.WaitForPortAsync(port, StartTimeout, cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new ScalingGateway(host, baseUrl, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The gateway's own ledger audit (balance = sum of ledger entries, reserved = open holds, for every account):
    /// proves the seeded rows are consistent in the gateway's eyes, and still are after the measured requests.
    /// </summary>
    public async Task<TimeSpan> AuditAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = AuditTimeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ManagementKey);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync("/api/v1/admin/ledger/audit", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailureException($"{Host.Name}: ledger audit failed: {(int)response.StatusCode} {body}");
        }

        using var audit = JsonDocument.Parse(body);
        if (!audit.RootElement.GetProperty("balanced").GetBoolean())
        {
            var unbalanced = audit.RootElement.GetProperty("data").EnumerateArray()
                .Where(account => !account.GetProperty("balanced").GetBoolean()).Take(3).Select(account => account.GetRawText());
            throw new BenchFailureException($"{Host.Name}: the ledger audit found unbalanced accounts, e.g. {string.Join(", ", unbalanced)}");
        }

        return Stopwatch.GetElapsedTime(started);
    }

    public void Dispose() => Host.Dispose();
}
