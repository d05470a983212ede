using System.Diagnostics;
using System.Net;
using Switchboard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchboard.Tests.Deployment;

/// <summary>
/// The shipped deployment (Dockerfile, <c>deploy/compose.yaml</c> with its nginx configuration, the Kubernetes
/// manifests, the systemd unit, <c>docs/deployment.md</c>) is checked in CI, where neither a Docker daemon nor a cluster
/// exists: <see cref="DeploymentChecks"/> reads every file and fails on any disagreement, broken copies prove each
/// kind of check can fail, and the real tools (<c>docker compose config</c>, <c>kubectl kustomize</c>,
/// <c>kubectl apply --dry-run=server</c>, <c>nginx -t</c>) run where they are installed and say so where not.
/// </summary>
public sealed class DeploymentFilesTests(ITestOutputHelper output)
{
    [Fact]
    public void The_shipped_deployment_files_agree_with_each_other_and_with_the_gateway()
    {
        var checks = DeploymentChecks.Run(RepositoryRoot.Path);

        Assert.True(checks.Problems.Count == 0, "The deployment files are broken:\n" + string.Join("\n", checks.Problems));
        Assert.Equal(8080, checks.ImagePort);
        Assert.Contains("/readyz", checks.ProbePaths);
        Assert.Contains("/healthz", checks.ProbePaths);
    }

    [Fact]
    public async Task Every_probe_and_health_check_path_of_the_deployment_is_answered_200_by_a_real_gateway()
    {
        var paths = DeploymentChecks.Run(RepositoryRoot.Path).ProbePaths.Distinct().ToList();
        await using var gateway = await GatewayFactory.StartAsync();
        using var client = gateway.CreateClient();

        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }
        Assert.NotEmpty(paths);
    }

    /// <summary>Each row breaks one thing in a copy of the repository's files; the checks must name it.</summary>
    [Theory]
    [InlineData("deploy/kubernetes/deployment.yaml", "terminationGracePeriodSeconds: 660", "terminationGracePeriodSeconds: 600", "terminationGracePeriodSeconds")]
    [InlineData("deploy/kubernetes/configmap.yaml", "DrainTimeout: \"00:10:00\"", "DrainTimeout: \"00:15:00\"", "terminationGracePeriodSeconds")]
    [InlineData("deploy/kubernetes/deployment.yaml", "path: /readyz", "path: /ready", "readinessProbe")]
    [InlineData("deploy/kubernetes/deployment.yaml", "port: http", "port: metrics", "asks port 'metrics'")]
    [InlineData("deploy/kubernetes/deployment.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "read-only")]
    [InlineData("deploy/kubernetes/poddisruptionbudget.yaml", "component: gateway", "component: web", "PodDisruptionBudget")]
    [InlineData("deploy/kubernetes/service.yaml", "targetPort: http", "targetPort: web", "targetPort")]
    [InlineData("deploy/kubernetes/service.yaml", "kind: Service", "kind: Servic", "kind these checks do not know")]
    [InlineData("deploy/kubernetes/configmap.yaml", "RequireEncryption: \"true\"", "RequireEncryption: true", "must be a string")]
    [InlineData("deploy/kubernetes/configmap.yaml", "Switchboard__Shutdown__DrainTimeout", "Switchboard__Shutdown__DrainTime", "no such setting")]
    [InlineData("deploy/kubernetes/secret.example.yaml", "Password=CHANGE-ME;", "Password=hunter2;", "placeholder")]
    [InlineData("deploy/kubernetes/kustomization.yaml", "  - service.yaml", "  - services.yaml", "does not exist")]
    [InlineData("deploy/compose.yaml", "Switchboard__Web__OperatorPassword", "Switchboard__Web__OperatorPasword", "no such setting")]
    [InlineData("deploy/compose.yaml", "Switchboard__Shutdown__DrainTimeout: \"00:10:00\"", "Switchboard__Shutdown__DrainTimeout: \"ten minutes\"", "DrainTimeout")]
    [InlineData("deploy/compose.yaml", "stop_grace_period: 11m", "stop_grace_period: 30s", "stop_grace_period")]
    [InlineData("deploy/compose.yaml", "InstanceName: gateway-3", "InstanceName: gateway-2", "its own Switchboard__Billing__InstanceName")]
    [InlineData("deploy/compose.yaml", "healthcheck\", \"http://127.0.0.1:8080/readyz", "healthcheck\", \"http://127.0.0.1:8080/healthz", "must ask /readyz")]
    [InlineData("deploy/compose.yaml", "  gateway-3:\n    <<: *gateway", "  gateway-3:\n    <<: *gateway\n    bad: [", "not valid YAML")]
    [InlineData("deploy/compose.yaml", "condition: service_healthy\n      gateway-3", "condition: service_started\n      gateway-3", "must depend on gateway-2")]
    [InlineData("deploy/nginx/nginx.conf", "proxy_buffering off;", "proxy_buffering on;", "proxy_buffering off")]
    [InlineData("deploy/nginx/nginx.conf", "server gateway-3:8080", "server gateway-3:8081", "every replica at port 8080")]
    [InlineData("deploy/nginx/nginx.conf", "proxy_read_timeout 15m;", "proxy_read_timeout 60s;", "proxy_read_timeout")]
    [InlineData("Dockerfile", "USER $APP_UID", "USER root", "USER that is not root")]
    [InlineData("Dockerfile", "EXPOSE 8080", "EXPOSE 80", "EXPOSE")]
    [InlineData("Dockerfile", "HEALTHCHECK", "# HEALTHCHECK", "HEALTHCHECK")]
    [InlineData("Dockerfile", "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime-only\n# FROM sdk", "first stage")]
    [InlineData("deploy/systemd/switchboard.service", "TimeoutStopSec=640", "TimeoutStopSec=90", "TimeoutStopSec")]
    [InlineData("docs/deployment.md", "`Switchboard:Billing:InstanceName`", "`Switchboard:Billing:InstanceNom`", "no such setting")]
    public void A_broken_copy_of_a_deployment_file_is_refused_naming_what_broke(string file, string find, string replace, string expected)
    {
        var copy = Directory.CreateTempSubdirectory("switchboard-deploy-");
        try
        {
            CopyDeployment(RepositoryRoot.Path, copy.FullName);
            var path = Path.Combine(copy.FullName, file);
            var text = File.ReadAllText(path);
            Assert.True(text.Contains(find, StringComparison.Ordinal), $"{file} no longer contains '{find}': update this row");

            File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
            var problems = DeploymentChecks.Run(copy.FullName).Problems;

            Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)),
                $"Breaking {file} ('{find}' → '{replace}') should be reported with '{expected}'; got:\n{string.Join("\n", problems)}");
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Docker_compose_accepts_the_compose_file_where_it_is_installed()
    {
        if (await RunAsync("docker", ["compose", "version"]) is not { ExitCode: 0 })
        {
            output.WriteLine("docker compose is not installed here: the compose file was checked by DeploymentChecks only.");
            return;
        }
        var result = await RunAsync("docker", ["compose", "-f", Path.Combine(RepositoryRoot.Path, "deploy", "compose.yaml"), "config", "--quiet", "--no-interpolate"]);
        Assert.True(result is { ExitCode: 0 }, $"docker compose config refused deploy/compose.yaml:\n{result?.Output}");
    }

    [Fact]
    public async Task Kubectl_builds_the_manifests_and_a_reachable_cluster_accepts_them_where_kubectl_is_installed()
    {
        var kubernetes = Path.Combine(RepositoryRoot.Path, "deploy", "kubernetes");
        if (await RunAsync("kubectl", ["version", "--client"]) is not { ExitCode: 0 })
        {
            output.WriteLine("kubectl is not installed here: the manifests were checked by DeploymentChecks only.");
            return;
        }
        var built = await RunAsync("kubectl", ["kustomize", kubernetes]);
        Assert.True(built is { ExitCode: 0 }, $"kubectl kustomize refused deploy/kubernetes:\n{built?.Output}");
        Assert.Contains("kind: Deployment", built!.Output, StringComparison.Ordinal);
        Assert.Contains("kind: PodDisruptionBudget", built.Output, StringComparison.Ordinal);

        if (await RunAsync("kubectl", ["get", "--raw=/readyz", "--request-timeout=3s"]) is not { ExitCode: 0 })
        {
            output.WriteLine("No Kubernetes cluster is reachable: kubectl apply --dry-run=server was not run (kustomize build passed).");
            return;
        }
        foreach (var arguments in new string[][] { ["-k", kubernetes], ["-f", Path.Combine(kubernetes, "secret.example.yaml")] })
        {
            var applied = await RunAsync("kubectl", ["apply", "--dry-run=server", .. arguments]);
            Assert.True(applied is { ExitCode: 0 }, $"The cluster refused {string.Join(' ', arguments)}:\n{applied?.Output}");
        }
    }

    [Fact]
    public async Task Nginx_accepts_the_load_balancer_configuration_where_it_is_installed()
    {
        var checks = DeploymentChecks.Run(RepositoryRoot.Path);
        Assert.NotNull(checks.NginxConfigPath);
        if (await RunAsync("nginx", ["-v"]) is not { ExitCode: 0 })
        {
            output.WriteLine("nginx is not installed here: its configuration was checked by DeploymentChecks only.");
            return;
        }
        // The replicas' names resolve only inside the compose network: here they stand for loopback.
        var prefix = Directory.CreateTempSubdirectory("switchboard-nginx-");
        try
        {
            var config = Path.Combine(prefix.FullName, "nginx.conf");
            File.WriteAllText(config, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(checks.NginxConfigPath!), @"server\s+gateway-\d+:", "server 127.0.0.1:"));
            var result = await RunAsync("nginx", ["-t", "-p", prefix.FullName, "-c", config, "-e", "stderr", "-g", $"pid {Path.Combine(prefix.FullName, "nginx.pid")};"]);
            Assert.True(result is { ExitCode: 0 }, $"nginx -t refused deploy/nginx/nginx.conf:\n{result?.Output}");
        }
        finally
        {
            prefix.Delete(recursive: true);
        }
    }

    private static void CopyDeployment(string from, string to)
    {
        File.Copy(Path.Combine(from, "Dockerfile"), Path.Combine(to, "Dockerfile"));
        Directory.CreateDirectory(Path.Combine(to, "docs"));
        File.Copy(Path.Combine(from, "docs", "deployment.md"), Path.Combine(to, "docs", "deployment.md"));
        foreach (var file in Directory.GetFiles(Path.Combine(from, "deploy"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private sealed record ToolResult(int ExitCode, string Output);

    /// <summary>Runs a tool for at most a minute; null when it is not installed.</summary>
    private static async Task<ToolResult?> RunAsync(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new ToolResult(-1, $"{tool} did not finish within a minute");
            }
            return new ToolResult(process.ExitCode, await stdout + await stderr);
        }
    }
}

/// <summary>The repository's root: the directory above the test's output holding <c>Switchboard.slnx</c>.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Switchboard.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Switchboard.slnx above {AppContext.BaseDirectory}.");
    }
}
