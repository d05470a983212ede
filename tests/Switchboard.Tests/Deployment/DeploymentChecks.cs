using System.Globalization;
using System.Text.RegularExpressions;
using Switchboard.Configuration;
using Switchboard.Lifecycle;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Tests.Deployment;

/// <summary>
/// Reads the shipped deployment (the Dockerfile, <c>deploy/compose.yaml</c> with its nginx configuration, the
/// Kubernetes manifests under <c>deploy/kubernetes</c>, the systemd unit) from a repository root and lists every way
/// it disagrees with itself or with the gateway: what <c>docker compose config</c> and a manifest schema check would
/// catch where those tools exist, and what they would not (grace periods against the drain, probe paths, settings
/// that do not exist). The tests run it on the repository and on broken copies.
/// </summary>
internal sealed partial class DeploymentChecks
{
    /// <summary>Time a stop may take beyond the drain, the host's own 30 s and a preStop pause: signals, scheduling.</summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(10);

    /// <summary>The gateway's routes a probe may ask (Api/SwitchboardApi).</summary>
    public static readonly string[] HealthRoutes = ["/healthz", "/readyz", "/health"];

    private readonly string _root;
    private readonly List<string> _problems = [];

    private DeploymentChecks(string root) => _root = root;

    /// <summary>Probe and health-check paths found, for the test that asks a real gateway for each.</summary>
    public List<string> ProbePaths { get; } = [];

    /// <summary>The port the image's gateway listens on (the Dockerfile's <c>Urls</c>).</summary>
    public int? ImagePort { get; private set; }

    public static DeploymentChecks Run(string root)
    {
        var checks = new DeploymentChecks(root);
        checks.CheckDockerfile();
        checks.CheckCompose();
        checks.CheckKubernetes();
        checks.CheckSystemd();
        checks.CheckDocumentedSettings();
        return checks;
    }

    public IReadOnlyList<string> Problems => _problems;


    private void CheckSetting(string where, string name, string? value, bool allowSection = false)
    {
        if (name.Equals("ASPNETCORE_FORWARDEDHEADERS_ENABLED", StringComparison.OrdinalIgnoreCase))
        {
            _problems.Add($"{where}: never set {name}: ASP.NET Core would then believe forwarded headers from anyone (docs/security.md).");
        }
        if (SettingNames.Problem(name, value, allowSection) is { } problem)
        {
            _problems.Add($"{where}: {problem}");
        }
    }

    private TimeSpan DrainTimeout(string where, string? configured)
    {
        if (configured is null)
        {
            return new ShutdownOptions().DrainTimeout;
        }
        if (TimeSpan.TryParse(configured, CultureInfo.InvariantCulture, out var drain))
        {
            return drain;
        }
        _problems.Add($"{where}: Switchboard__Shutdown__DrainTimeout '{configured}' is not a duration such as 00:10:00.");
        return TimeSpan.Zero;
    }

    private static int? PortOf(string? url) =>
        url is not null && Regex.Match(url, @"^https?://[^/;]*:(\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static bool IsSubset(Dictionary<string, string> subset, Dictionary<string, string> of) =>
        subset.All(p => of.TryGetValue(p.Key, out var value) && value == p.Value);

    private static string Show(Dictionary<string, string> labels) => "{" + string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}")) + "}";

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex ContinuedLine();

    [GeneratedRegex(@"(?:^|\s)Urls=""?([^\s""]+)")]
    private static partial Regex UrlsInEnv();

    [GeneratedRegex(@"(?:^|\s)""?([A-Za-z_][A-Za-z0-9_]*)=([^\s""]*)""?")]
    private static partial Regex EnvAssignment();

    [GeneratedRegex(@"https?://[^/\s""]+(/[A-Za-z0-9_/]*)")]
    private static partial Regex UrlPath();

    [GeneratedRegex(@"https?://[^/\s""]+")]
    private static partial Regex UrlIn();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*)|:?\?[^}]*)?\}")]
    private static partial Regex ComposeInterpolation();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex ComposeDurationPart();

    [GeneratedRegex(@"#[^\n]*")]
    private static partial Regex NginxComment();

    [GeneratedRegex(@"\bserver\s+([A-Za-z0-9.\-]+):(\d+)[^;]*;")]
    private static partial Regex NginxUpstreamServer();

    [GeneratedRegex(@"`(Switchboard:[A-Za-z0-9:<>_]+)")]
    private static partial Regex DocumentedSetting();

    [GeneratedRegex(@"\bSwitchboard__[A-Za-z0-9_]*[A-Za-z0-9]")]
    private static partial Regex DocumentedVariable();
}
