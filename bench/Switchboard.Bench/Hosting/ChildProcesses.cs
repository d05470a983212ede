using System.Diagnostics;

namespace Switchboard.Bench.Hosting;

/// <summary>
/// Every process the bench starts, so that none outlives it: normal exit, failure, Ctrl+C and SIGTERM all
/// end in <see cref="KillAll"/>. (SIGKILL of the bench itself cannot be caught; the children then linger.)
/// </summary>
internal static class ChildProcesses
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<Process> Running = [];

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Add(Process process)
    {
        lock (Gate)
        {
            Running.Add(process);
        }
    }

    public static void Remove(Process process)
    {
        lock (Gate)
        {
            Running.Remove(process);
        }
    }

    /// <summary>
    /// Asks the process to stop (SIGTERM: nginx's master then reaps its workers, Kestrel shuts down), and kills it
    /// and its descendants if it is still there after <paramref name="grace"/>. Waits for it to be gone.
    /// </summary>
    public static void Stop(Process process, TimeSpan grace)
    {
        try
        {
            if (!process.HasExited && grace > TimeSpan.Zero && SendTerminate(process.Id))
            {
                process.WaitForExit(grace);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited between the check and the kill.
        }

        Remove(process);
    }

    /// <summary>Kills the process and its descendants at once (wrk, or anything cancelled).</summary>
    public static void Kill(Process process) => Stop(process, TimeSpan.Zero);

    public static void KillAll()
    {
        Process[] all;
        lock (Gate)
        {
            all = [.. Running];
        }

        foreach (var process in all)
        {
            Stop(process, TimeSpan.FromSeconds(2));
        }
    }

    private static bool SendTerminate(int pid)
    {
        try
        {
            var info = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
            info.ArgumentList.Add("-TERM");
            info.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var kill = Process.Start(info);
            if (kill is null)
            {
                return false;
            }

            kill.WaitForExit(2000);
            return kill.HasExited && kill.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
