using System.Diagnostics;
using System.Net;
using Switchboard.Bench.Hosting;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Catalog;

/// <summary>
/// A gateway of the catalog phase, started from cold on one catalog: its start-up time runs from process start until
/// <c>GET /health</c> answers 200, the moment a load balancer would send it traffic.
/// </summary>
internal sealed class CatalogGateway : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    // Another process's readiness has no signal to await but its answer; 2 ms between tries bounds what the polling
    // adds to a start-up of hundreds of milliseconds.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    private CatalogGateway(ProcessHost host, Uri baseUrl, TimeSpan startTime)
    {
        Host = host;
        BaseUrl = baseUrl;
        StartTime = startTime;
    }

    public ProcessHost Host { get; }

    public Uri BaseUrl { get; }

    public TimeSpan StartTime { get; }

    /// <param name="catalogPath">A catalog file, or null for the catalog the gateway ships with.</param>
    public static async Task<CatalogGateway> StartAsync(
        string name, string gatewayDll, string? catalogPath, string dataDirectory, string logPath, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var environment = BenchEnvironment.DotnetEnvironment();
        if (catalogPath is not null)
        {
            environment["Switchboard__CatalogPath"] = catalogPath;
        }

        environment["Switchboard__Demo"] = "false";
        environment["Switchboard__Database__DataDirectory"] = dataDirectory;
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        // Once the port accepts, the first /health may wait for start-up work behind it: only the start's own limit applies.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StartTimeout);
        var health = new Uri(baseUrl, "/health");

        var started = Stopwatch.GetTimestamp();
        var host = ProcessHost.Start(name, "dotnet", [gatewayDll, "--urls", baseUrl.ToString().TrimEnd('/')], environment, logPath);
        try
        {
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync(health, limit.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return new CatalogGateway(host, baseUrl, Stopwatch.GetElapsedTime(started));
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                if (host.HasExited)
                {
                    throw new BenchFailureException($"{name} exited while starting; its log ends:\n{host.LogTail()}");
                }

                await Task.Delay(PollInterval, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new BenchFailureException($"{name}: /health did not answer 200 within {StartTimeout.TotalSeconds:0} s");
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public void Dispose() => Host.Dispose();
}
