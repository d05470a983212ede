using System.Diagnostics;

namespace Switchboard.Bench.Hosting;

/// <summary>
/// CPU time (user + system) used so far by a process and all its descendants, e.g. an nginx master and its
/// workers. Differences over a measurement give CPU per request: a figure that noise from other processes on
/// the machine disturbs far less than throughput.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan TreeTime(int rootPid)
    {
        var total = TimeSpan.Zero;
        foreach (var pid in ProcessTree.Of(rootPid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime;
            }
            catch (ArgumentException)
            {
                // Exited meanwhile.
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }

        return total;
    }
}
