using Switchboard.Bench.Hosting;

namespace Switchboard.Bench.Targets;

/// <summary>
/// One way for the client to reach the simulator: directly, through nginx, or through Switchboard.
/// <paramref name="Processes"/> are the processes on the path, checked after every measurement;
/// <paramref name="Proxy"/> is the hop under test (none for the direct path), whose CPU use is measured.
/// </summary>
internal sealed record Target(string Name, Uri ChatCompletionsUrl, IReadOnlyList<ProcessHost> Processes, ProcessHost? Proxy)
{
    public const string Direct = "direct";
    public const string Nginx = "nginx";
    public const string Switchboard = "switchboard";

    public void EnsureRunning()
    {
        foreach (var process in Processes)
        {
            process.EnsureRunning();
        }
    }

    /// <summary>CPU used so far by the proxy process tree; zero for the direct path.</summary>
    public TimeSpan ProxyCpuTime() => Proxy is null ? TimeSpan.Zero : ProcessCpu.TreeTime(Proxy.Id);
}
