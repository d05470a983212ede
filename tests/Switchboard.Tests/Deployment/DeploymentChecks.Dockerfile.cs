using System.Globalization;
using System.Text.RegularExpressions;
using Switchboard.Configuration;
using Switchboard.Lifecycle;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Tests.Deployment;

/// <summary>The Dockerfile: stages, the non-root user, the listening port, the health check.</summary>
internal sealed partial class DeploymentChecks
{

    private void CheckDockerfile()
    {
        var path = Path.Combine(_root, "Dockerfile");
        if (!File.Exists(path))
        {
            _problems.Add("Dockerfile: missing at the repository root.");
            return;
        }
        // Instructions, with continuation lines joined and comments dropped.
        var instructions = ContinuedLine().Replace(File.ReadAllText(path), " ")
            .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => (Word: l.Split(' ', 2)[0].ToUpperInvariant(), Args: l.Split(' ', 2).ElementAtOrDefault(1)?.Trim() ?? ""))
            .ToList();
        var stages = instructions.Select((i, n) => (i, n)).Where(x => x.i.Word == "FROM").Select(x => x.n).ToList();
        if (stages.Count < 2)
        {
            _problems.Add($"Dockerfile: {stages.Count} stage(s); the build must be multi-stage (the SDK builds, a runtime image runs).");
            return;
        }
        if (!instructions[stages[0]].Args.Contains("dotnet/sdk", StringComparison.Ordinal))
        {
            _problems.Add($"Dockerfile: the first stage should build FROM the .NET SDK image (got '{instructions[stages[0]].Args}').");
        }
        if (!instructions[stages[^1]].Args.Contains("dotnet/aspnet", StringComparison.Ordinal))
        {
            _problems.Add($"Dockerfile: the final stage should run FROM the ASP.NET Core runtime image (got '{instructions[stages[^1]].Args}').");
        }
        var final = instructions.Skip(stages[^1]).ToList();
        var user = final.LastOrDefault(i => i.Word == "USER").Args;
        if (user is null or "" or "root" or "0" || user.StartsWith("0:", StringComparison.Ordinal) || user.StartsWith("root:", StringComparison.Ordinal))
        {
            _problems.Add($"Dockerfile: the final stage must set a USER that is not root (got '{user ?? "none"}').");
        }
        var urls = final.Where(i => i.Word == "ENV").Select(i => UrlsInEnv().Match(i.Args)).LastOrDefault(m => m.Success);
        ImagePort = urls is null ? null : PortOf(urls.Groups[1].Value);
        if (ImagePort is null)
        {
            _problems.Add("Dockerfile: the final stage must set Urls (e.g. ENV Urls=http://0.0.0.0:8080); appsettings.json listens on loopback only.");
        }
        else if (urls!.Groups[1].Value.Contains("127.0.0.1", StringComparison.Ordinal) || urls.Groups[1].Value.Contains("localhost", StringComparison.Ordinal))
        {
            _problems.Add($"Dockerfile: Urls '{urls.Groups[1].Value}' is loopback only, unreachable from outside the container.");
        }
        var exposed = final.Where(i => i.Word == "EXPOSE").SelectMany(i => i.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.TryParse(p.Split('/')[0], out var port) ? port : -1).ToList();
        if (ImagePort is { } listening && !exposed.Contains(listening))
        {
            _problems.Add($"Dockerfile: EXPOSE {string.Join(' ', exposed)} does not include the port the gateway listens on ({listening}).");
        }
        var healthcheck = final.LastOrDefault(i => i.Word == "HEALTHCHECK").Args;
        if (healthcheck is null || !healthcheck.Contains("CMD", StringComparison.Ordinal) || !healthcheck.Contains("healthcheck", StringComparison.Ordinal))
        {
            _problems.Add("Dockerfile: the final stage needs a HEALTHCHECK running the gateway's own 'healthcheck' command (there is no curl in the image).");
        }
        else
        {
            ProbePaths.Add(UrlPath().Match(healthcheck) is { Success: true } m ? m.Groups[1].Value : "/healthz");
        }
        if (!final.Any(i => i.Word == "ENTRYPOINT" && i.Args.Contains("Switchboard.dll", StringComparison.Ordinal)))
        {
            _problems.Add("Dockerfile: the final stage needs an ENTRYPOINT starting Switchboard.dll.");
        }
        foreach (var env in final.Where(i => i.Word == "ENV"))
        {
            foreach (Match setting in EnvAssignment().Matches(env.Args))
            {
                CheckSetting("Dockerfile", setting.Groups[1].Value, setting.Groups[2].Value);
            }
        }
    }
}
