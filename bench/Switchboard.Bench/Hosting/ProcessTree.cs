namespace Switchboard.Bench.Hosting;

/// <summary>A process and all its descendants, found through <c>/proc</c>: an nginx master and its workers, say.</summary>
internal static class ProcessTree
{
    /// <summary>The root first, then its descendants; processes that exit meanwhile may still be listed.</summary>
    public static List<int> Of(int rootPid)
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

        var found = new List<int> { rootPid };
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
