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
        foreach (var pid in Descendants(rootPid).Prepend(rootPid))
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

    private static List<int> Descendants(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid …"; comm may contain spaces and parentheses, so parse after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // Exited meanwhile.
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([rootPid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent)
                {
                    found.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }
}
