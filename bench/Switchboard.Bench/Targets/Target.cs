using Switchboard.Bench.Hosting;

namespace Switchboard.Bench.Targets;

/// <summary>
/// One way for the client to reach the simulator: directly, through nginx, through Switchboard or through Portkey.
/// <paramref name="Processes"/> are the processes on the path, checked after every measurement;
/// <paramref name="Proxy"/> is the hop under test (none for the direct path), whose CPU use is measured;
/// <paramref name="Headers"/> go on every request to this target (Portkey's routing headers).
/// </summary>
internal sealed record Target(
    string Name,
    Uri ChatCompletionsUrl,
    IReadOnlyList<ProcessHost> Processes,
    ProcessHost? Proxy,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string Direct = "direct";
    public const string Nginx = "nginx";
    public const string Switchboard = "switchboard";
    public const string Portkey = "portkey";

    /// <summary>Every target the bench knows, in the order the summary lists them.</summary>
    public static readonly IReadOnlyList<string> Known = [Direct, Nginx, Switchboard, Portkey];

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
