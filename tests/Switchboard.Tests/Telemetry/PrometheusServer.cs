using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Telemetry;

/// <summary>One scrape job of <see cref="PrometheusServer"/>: a target <c>host:port</c> and the bearer token it sends.</summary>
public sealed record ScrapeJob(string Name, string Target, string? BearerToken);

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>, which test.sh installs; <c>SWITCHBOARD_PROMETHEUS</c> names
/// another binary) scraping the given jobs every second, with its own throwaway storage, queried over its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _api;

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<PrometheusServer> StartAsync(IReadOnlyList<ScrapeJob> jobs)
    {
        var executable = Environment.GetEnvironmentVariable("SWITCHBOARD_PROMETHEUS") is { Length: > 0 } configured
            ? configured
            : new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException("Prometheus is not installed: run ./test.sh (it installs Debian's prometheus) or set SWITCHBOARD_PROMETHEUS.");
        var directory = Directory.CreateTempSubdirectory("switchboard-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, Config(jobs));
        var port = GatewayProcess.FreePort();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var server = new PrometheusServer(process, directory, port);
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>The jobs' targets as Prometheus sees them (<c>/api/v1/targets</c>): health and last error, by job.</summary>
    public async Task<IReadOnlyDictionary<string, (string Health, string LastError)>> TargetsAsync()
    {
        var answer = await GetDataAsync("/api/v1/targets?state=active");
        return answer["activeTargets"]!.AsArray().ToDictionary(
            target => target!["labels"]!["job"]!.GetValue<string>(),
            target => (target!["health"]!.GetValue<string>(), target["lastError"]!.GetValue<string>()));
    }

    /// <summary>An instant PromQL query whose answer is one number; null while it has no series.</summary>
    public async Task<decimal?> ScalarAsync(string promQl)
    {
        var answer = await GetDataAsync($"/api/v1/query?query={Uri.EscapeDataString(promQl)}");
        var result = answer["result"]!.AsArray();
        return result.Count == 0
            ? null
            : decimal.Parse(result.Single()!["value"]![1]!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until <paramref name="condition"/> holds (scrapes come every second) or 30 s pass; returns the last value.</summary>
    public async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var value = await read();
            if (condition(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(250);
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Only a temp directory left behind.
        }
    }

    private static string Config(IReadOnlyList<ScrapeJob> jobs)
    {
        var yaml = new StringBuilder("""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:

            """);
        foreach (var job in jobs)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  - job_name: {job.Name}
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['{job.Target}']

                """);
            if (job.BearerToken is not null)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"""
                        authorization:
                          credentials: '{job.BearerToken}'

                    """);
            }
        }
        return yaml.ToString();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await _api.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Prometheus did not become ready:\n{Output}");
    }

    private async Task<JsonObject> GetDataAsync(string path)
    {
        using var response = await _api.GetAsync(new Uri(path, UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body["status"]!.GetValue<string>() == "success", $"Prometheus answered {path} with {body.ToJsonString()}");
        return body["data"]!.AsObject();
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
