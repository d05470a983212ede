using Switchboard.Bench.Hosting;

namespace Switchboard.Bench.Targets;

/// <summary>
/// One way for the client to reach the simulator: directly, through nginx, through Switchboard or through Portkey.
/// <paramref name="Processes"/> are the processes on the path, checked after every measurement;
/// <paramref name="Proxy"/> is the hop under test (none for the direct path), whose CPU use is measured;
/// <paramref name="Headers"/> go on every request to this target (Portkey's routing headers);
/// <paramref name="ApiKey"/> is the inference key of a gateway other than the first (which issued
/// <see cref="Scenarios.BenchHttp.ApiKey"/> and the mix's keys), sent on every request to it instead of those.
/// </summary>
internal sealed record Target(
    string Name,
    Uri ChatCompletionsUrl,
    IReadOnlyList<ProcessHost> Processes,
    ProcessHost? Proxy,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ApiKey = null)
{
    public const string Direct = "direct";
    public const string Nginx = "nginx";
    public const string Switchboard = "switchboard";
    public const string Portkey = "portkey";

    /// <summary>The gateway with its telemetry off (no <c>/metrics</c>, no OTLP): what the default metrics cost, by difference.</summary>
    public const string SwitchboardNoTelemetry = "switchboard-no-telemetry";

    /// <summary>The gateway with metrics and every trace pushed over OTLP to a local sink: what tracing costs, by difference.</summary>
    public const string SwitchboardTraced = "switchboard-traced";

    /// <summary>
    /// The gateway with no durable step before a response completes (<c>Billing:Durability=None</c>: no settlement
    /// log, no wait for the commit): what <i>durable before delivered</i> costs, by difference. Only a measurement:
    /// run that way, a crash loses the charges of responses already delivered.
    /// </summary>
    public const string SwitchboardUndurable = "switchboard-undurable";

    /// <summary>
    /// The gateway on SQLite making completions durable as it does on PostgreSQL, by waiting for their commit
    /// (<c>Billing:Durability=Commit</c>) instead of the settlement log: what the log saves, by difference.
    /// </summary>
    public const string SwitchboardCommit = "switchboard-commit";

    /// <summary>
    /// Another build of the gateway (<c>--reference-gateway</c>; <c>bench/run.sh --reference COMMIT</c> publishes
    /// one), configured as <see cref="Switchboard"/> is: the same checks on the same machine in the same run tell a
    /// change of code from a change of machine.
    /// </summary>
    public const string SwitchboardReference = "switchboard-reference";

    /// <summary>Every target the bench knows, in the order the summary lists them.</summary>
    public static readonly IReadOnlyList<string> Known =
        [Direct, Nginx, Switchboard, SwitchboardNoTelemetry, SwitchboardTraced, SwitchboardUndurable, SwitchboardCommit, SwitchboardReference, Portkey];

    /// <summary>What a run measures unless <c>--targets</c> says otherwise; the variants are asked for by name.</summary>
    public static readonly IReadOnlyList<string> Default = [Direct, Nginx, Switchboard, Portkey];

    /// <summary>
    /// The gateway variants: the same build as <see cref="Switchboard"/> with one group of settings changed, or
    /// (<see cref="SwitchboardReference"/>) the same settings on another build.
    /// </summary>
    public static readonly IReadOnlyList<string> Variants = [SwitchboardNoTelemetry, SwitchboardTraced, SwitchboardUndurable, SwitchboardCommit, SwitchboardReference];

    /// <summary>Switchboard itself or one of its variants.</summary>
    public bool IsGateway => Name == Switchboard || Variants.Contains(Name);

    /// <summary>Scheme, host and port of the target.</summary>
    public Uri BaseUrl => new(ChatCompletionsUrl.GetLeftPart(UriPartial.Authority));

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
