using System.Diagnostics;
using System.Runtime;

namespace Switchboard.Accounts;

/// <summary>
/// <c>GET /admin/runtime</c>: what the process has allocated and collected, and how much memory it holds.
/// <see cref="AllocatedBytes"/> only grows, so two readings around a run of requests give bytes per request; the JIT's
/// counts show when tiered compilation has settled (a benchmark measures after that, as a long-running gateway runs).
/// </summary>
internal sealed record RuntimeView(
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long GcHeapBytes,
    long WorkingSetBytes,
    bool ServerGc,
    string GcLatencyMode,
    int ProcessorCount,
    int ThreadCount,
    double UptimeSeconds,
    long JitCompiledMethods,
    double JitMilliseconds)
{
    public static RuntimeView Capture(TimeProvider time)
    {
        using var process = Process.GetCurrentProcess();
        return new RuntimeView(
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalMemory(forceFullCollection: false),
            process.WorkingSet64,
            GCSettings.IsServerGC,
            GCSettings.LatencyMode.ToString(),
            Environment.ProcessorCount,
            process.Threads.Count,
            (time.GetUtcNow() - process.StartTime.ToUniversalTime()).TotalSeconds,
            System.Runtime.JitInfo.GetCompiledMethodCount(),
            System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds);
    }
}
