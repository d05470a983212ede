using System.ComponentModel;
using System.Diagnostics;

namespace Switchboard.Tests.Clients;

/// <summary>
/// The npm clients under <c>tests/clients</c>, installed exactly as its package-lock pins them. test.sh runs
/// <c>npm ci</c> before the tests; when <c>node_modules</c> is missing or older than the lockfile (a run from an IDE,
/// a changed lock), this fixture runs it once, behind a lock so test classes and test processes never install at
/// the same time.
/// </summary>
public sealed class ClientPackages : IAsyncLifetime
{
    private static readonly SemaphoreSlim InProcess = new(1, 1);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    /// <summary><c>tests/clients</c> of the repository the tests were built from.</summary>
    public static string Directory { get; } = FindDirectory();

    public async Task InitializeAsync()
    {
        await InProcess.WaitAsync();
        try
        {
            await EnsureToolAsync("node");
            await EnsureToolAsync("npm");
            using var crossProcess = await AcquireFileLockAsync(Path.Combine(Directory, ".install.lock"));
            if (IsInstalled())
            {
                return;
            }
            var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], InstallTimeout);
            Assert.True(exitCode == 0, $"npm ci in {Directory} failed with exit code {exitCode}:\n{output}");
        }
        finally
        {
            InProcess.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>npm ci writes node_modules/.package-lock.json last; older than the lockfile means a stale install.</summary>
    private static bool IsInstalled()
    {
        var installed = new FileInfo(Path.Combine(Directory, "node_modules", ".package-lock.json"));
        var locked = new FileInfo(Path.Combine(Directory, "package-lock.json"));
        return installed.Exists && installed.LastWriteTimeUtc >= locked.LastWriteTimeUtc;
    }

    private static async Task EnsureToolAsync(string tool)
    {
        try
        {
            var (exitCode, output) = await RunAsync(tool, ["--version"], TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, $"`{tool} --version` failed with exit code {exitCode}:\n{output}");
        }
        catch (Win32Exception)
        {
            Assert.Fail($"{tool} is not installed, and the client conformance suite runs the real npm clients: run ./test.sh (it installs nodejs and npm with apt-get) or install Node.js 20 or later.");
        }
    }

    private static async Task<IDisposable> AcquireFileLockAsync(string path)
    {
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another test process is installing; it holds the lock until npm ci is done.
                await Task.Delay(500);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {string.Join(' ', arguments)}` did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "clients");
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No tests/clients/package-lock.json above {AppContext.BaseDirectory}.");
    }
}
