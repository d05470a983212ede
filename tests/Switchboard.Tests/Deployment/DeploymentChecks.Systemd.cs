using System.Globalization;
using System.Text.RegularExpressions;
using Switchboard.Configuration;
using Switchboard.Lifecycle;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Tests.Deployment;

/// <summary><c>deploy/systemd</c>: the unit's start, settings and stop timeout.</summary>
internal sealed partial class DeploymentChecks
{

    private void CheckSystemd()
    {
        var directory = Path.Combine(_root, "deploy", "systemd");
        var units = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.service") : [];
        if (units.Length == 0)
        {
            _problems.Add("deploy/systemd: no service unit.");
        }
        foreach (var path in units)
        {
            var name = Path.GetRelativePath(_root, path).Replace('\\', '/');
            var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(';')).ToList();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in lines.Where(l => l.StartsWith("Environment=", StringComparison.Ordinal)))
            {
                foreach (Match setting in EnvAssignment().Matches(line["Environment=".Length..]))
                {
                    environment[setting.Groups[1].Value] = setting.Groups[2].Value;
                    CheckSetting(name, setting.Groups[1].Value, setting.Groups[2].Value.Contains('%', StringComparison.Ordinal) ? null : setting.Groups[2].Value);
                }
            }
            if (!lines.Any(l => l.StartsWith("ExecStart=", StringComparison.Ordinal) && l.Contains("Switchboard.dll", StringComparison.Ordinal)))
            {
                _problems.Add($"{name}: ExecStart must start Switchboard.dll.");
            }
            var stop = lines.LastOrDefault(l => l.StartsWith("TimeoutStopSec=", StringComparison.Ordinal))?["TimeoutStopSec=".Length..];
            var needed = DrainTimeout(name, environment.GetValueOrDefault("Switchboard__Shutdown__DrainTimeout")) + LifecycleServiceCollectionExtensions.AfterDrain + StopMargin;
            if (!int.TryParse(stop, out var seconds) || TimeSpan.FromSeconds(seconds) < needed)
            {
                _problems.Add($"{name}: TimeoutStopSec '{stop ?? "unset (90)"}' is shorter than the drain + 30 s + margin ({needed.TotalSeconds:0} s, in seconds).");
            }
        }
    }
}
