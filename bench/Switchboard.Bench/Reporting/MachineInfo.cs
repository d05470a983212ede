using System.Runtime.InteropServices;
using System.Text;
using Switchboard.Bench.Hosting;

namespace Switchboard.Bench.Reporting;

/// <summary>What the figures were measured on: cores, CPU, memory, load, tool versions and the source revision.</summary>
internal static class MachineInfo
{
    public static async Task<string> DescribeAsync(BenchOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine($"machine:   {Environment.ProcessorCount} cores (nproc), {CpuModel()}, {MemoryTotal()}");
        text.AppendLine($"os:        {OsName()}, kernel {ReadFirstLine("/proc/sys/kernel/osrelease")}");
        text.AppendLine($"load avg:  {LoadAverage()} (at start; 1, 5 and 15 minutes)");
        text.AppendLine($"dotnet:    SDK {await CommandRunner.ProbeAsync("dotnet", "--version")}, runtime {RuntimeInformation.FrameworkDescription}");
        text.AppendLine($"nginx:     {await CommandRunner.ProbeAsync(options.NginxPath, "-v")}");
        text.AppendLine($"wrk:       {(await CommandRunner.ProbeAsync(options.WrkPath, "-v")).Split('\n')[0].Trim()}");
        var commit = await CommandRunner.ProbeAsync("git", "rev-parse", "--short", "HEAD");
        var dirty = await CommandRunner.ProbeAsync("git", "status", "--porcelain", "--", "src");
        text.Append($"source:    commit {commit}{(dirty.Length > 0 ? " + uncommitted changes in src/" : string.Empty)}");
        return text.ToString();
    }

    public static string LoadAverage() => string.Join(' ', ReadFirstLine("/proc/loadavg").Split(' ').Take(3));

    private static string CpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? "unknown CPU";

    private static string MemoryTotal()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is not null && long.TryParse(kb, out var value) ? $"{value / 1024.0 / 1024.0:0.0} GiB RAM" : "unknown RAM";
    }

    private static string OsName() =>
        ReadLines("/etc/os-release").FirstOrDefault(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
        ?? RuntimeInformation.OSDescription;

    private static string ReadFirstLine(string path) => ReadLines(path).FirstOrDefault()?.Trim() ?? "unknown";

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
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
