using System.Globalization;

namespace Switchboard.Bench.Hosting;

/// <summary>Memory and file descriptors of a process, read from <c>/proc</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>
    /// Resident set size (VmRSS) of a process and its descendants, summed: nginx's master and workers, or the gateway.
    /// Pages the processes share are counted once per process, so a tree's figure errs on the high side.
    /// </summary>
    public static long TreeResidentBytes(int rootPid) => ProcessTree.Of(rootPid).Sum(ResidentBytes);

    /// <summary>Open file descriptors, sockets included; -1 when the process is gone.</summary>
    public static int OpenFiles(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>The soft limit on open files (<c>ulimit -n</c>) the process runs with; -1 when unknown.</summary>
    public static long OpenFileLimit(int pid)
    {
        // "Max open files            20000                20000                files"
        var line = ReadLines($"/proc/{pid}/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 0 } && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : -1;
    }

    private static long ResidentBytes(int pid)
    {
        // "VmRSS:	  123456 kB"
        var line = ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var fields = line?.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: >= 2 } && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
