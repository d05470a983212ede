using System.Diagnostics;
using System.Net.Sockets;

namespace Switchboard.Bench.Hosting;

/// <summary>
/// A long-running child process (simulator, nginx, gateway) whose output goes to a log file, with a
/// readiness check on its listening port. Disposing kills it and its descendants.
/// </summary>
internal sealed class ProcessHost : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();

    private ProcessHost(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ProcessHost Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        string logPath)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var host = new ProcessHost(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => host.WriteLog(e.Data);
        process.ErrorDataReceived += (_, e) => host.WriteLog(e.Data);
        try
        {
            if (!process.Start())
            {
                throw new BenchFailureException($"{name}: could not start {fileName}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            host.Dispose();
            throw new BenchFailureException($"{name}: could not start {fileName}: {e.Message}");
        }

        ChildProcesses.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until something accepts TCP connections on the port; fails early if the process exits.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new BenchFailureException($"{Name} exited with code {_process.ExitCode} before listening on port {port}.\n{LogTail()}");
            }

            using (var client = new TcpClient())
            {
                try
                {
                    await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                    return;
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new BenchFailureException($"{Name} did not listen on port {port} within {timeout.TotalSeconds:0} s.\n{LogTail()}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Throws if the process has died since it became ready, e.g. crashed under load.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new BenchFailureException($"{Name} exited with code {_process.ExitCode} during the run.\n{LogTail()}");
        }
    }

    public string LogTail(int lines = 30)
    {
        lock (_logGate)
        {
            _log.Flush();
        }

        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return $"--- last lines of {LogPath} ---\n" + string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return $"(log {LogPath} unreadable)";
        }
    }

    public void Dispose()
    {
        ChildProcesses.Stop(_process, TimeSpan.FromSeconds(5));
        _process.Dispose();
        lock (_logGate)
        {
            _log.Dispose();
        }
    }

    private void WriteLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output arriving while the host is being disposed.
            }
        }
    }
}
