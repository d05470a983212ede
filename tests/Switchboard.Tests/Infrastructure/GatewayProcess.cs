using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The gateway as its own process (the build output next to the tests), for what only a real process shows: being
/// killed outright (SIGKILL) or asked to stop (SIGTERM), where it was started from, what it writes to its console.
/// Ready when <c>/health</c> answers.
/// </summary>
internal sealed partial class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    /// <summary>Everything written to standard output and error so far.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<GatewayProcess> StartAsync(
        int port, HttpClient http, IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Switchboard.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (name, value) in settings)
        {
            start.ArgumentList.Add($"--{name}={value}");
        }
        var gateway = new GatewayProcess(Process.Start(start)!);
        // Generous: on a machine busy with the rest of the suite, a cold start (and a start-up lock another process
        // holds while it migrates) can take tens of seconds.
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            Assert.False(gateway.HasExited, $"The gateway exited with {(gateway.HasExited ? gateway._process.ExitCode : 0)}:\n{gateway.Output}");
            try
            {
                using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
                if (health.IsSuccessStatusCode)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        gateway.Kill();
        throw new TimeoutException($"The gateway did not start within 120 s:\n{gateway.Output}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
    }

    /// <summary>SIGTERM: what an orchestrator sends to stop a container gracefully.</summary>
    public void Terminate()
    {
        const int SigTerm = 15;
        if (!_process.HasExited && Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed.");
        }
    }

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The gateway did not exit within {timeout}:\n{Output}");
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
