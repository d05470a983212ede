using System.Diagnostics;

namespace Switchboard.Bench.Hosting;

/// <summary>Output of a finished short-lived command.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Combined => StandardError.Length == 0 ? StandardOutput : StandardOutput + StandardError;
}

/// <summary>Runs a short-lived command (wrk, nginx -t, version probes) to completion; killed if the bench is cancelled.</summary>
internal static class CommandRunner
{
    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
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

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchFailureException($"could not run {fileName}: {e.Message}");
        }

        ChildProcesses.Add(process);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return new CommandResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            ChildProcesses.Kill(process);
        }
    }

    /// <summary>The command's output, or a note saying it is unavailable; for the machine description only.</summary>
    public static async Task<string> ProbeAsync(string fileName, params string[] arguments)
    {
        try
        {
            var result = await RunAsync(fileName, arguments, CancellationToken.None);
            return result.Combined.Trim();
        }
        catch (BenchFailureException e)
        {
            return $"({e.Message})";
        }
    }
}
