using System.Globalization;
using System.Text.RegularExpressions;
using Switchboard.Configuration;
using Switchboard.Lifecycle;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Tests.Deployment;

/// <summary><c>deploy/kubernetes</c>: each object's required fields, the Deployment's probes, stop timing and hardening, the selectors.</summary>
internal sealed partial class DeploymentChecks
{

    private void CheckKubernetes()
    {
        var directory = Path.Combine(_root, "deploy", "kubernetes");
        if (!Directory.Exists(directory))
        {
            _problems.Add("deploy/kubernetes: missing.");
            return;
        }
        var documents = new List<(string File, YamlNode Node)>();
        foreach (var path in Directory.GetFiles(directory, "*.yaml").Concat(Directory.GetFiles(directory, "*.yml")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(_root, path).Replace('\\', '/');
            if (YamlFile.Load(path, name, _problems) is { } file)
            {
                documents.AddRange(file.Documents.Select(d => (name, d)));
            }
        }
        var objects = new List<(string Where, string Kind, string Name, YamlNode Node)>();
        foreach (var (file, node) in documents)
        {
            var kind = node.Text("kind");
            var apiVersion = node.Text("apiVersion");
            var name = node.Text("metadata", "name");
            if (kind == "Kustomization")
            {
                CheckKustomization(file, node, directory);
                continue;
            }
            if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(name))
            {
                _problems.Add($"{file}: a document lacks apiVersion, kind or metadata.name (kind '{kind}', name '{name}').");
                continue;
            }
            var expected = kind switch
            {
                "Deployment" => "apps/v1",
                "Service" or "ConfigMap" or "Secret" => "v1",
                "PodDisruptionBudget" => "policy/v1",
                _ => null,
            };
            if (expected is null)
            {
                _problems.Add($"{file}: {kind} {name} is a kind these checks do not know; add its required fields to DeploymentChecks.");
                continue;
            }
            if (apiVersion != expected)
            {
                _problems.Add($"{file}: {kind} {name} has apiVersion {apiVersion}; it is {expected}.");
            }
            objects.Add(($"{file}: {kind} {name}", kind, name, node));
        }
        var configMaps = objects.Where(o => o.Kind == "ConfigMap").ToList();
        var secrets = objects.Where(o => o.Kind == "Secret").ToList();
        foreach (var map in configMaps.Concat(secrets))
        {
            CheckStringValues(map.Where, map.Node, map.Kind == "Secret");
        }
        var deployments = objects.Where(o => o.Kind == "Deployment").ToList();
        if (deployments.Count != 1)
        {
            _problems.Add($"deploy/kubernetes: expected one Deployment, found {deployments.Count}.");
            return;
        }
        var deployment = deployments[0];
        var podLabels = deployment.Node.At("spec", "template", "metadata", "labels").Strings();
        var container = CheckDeployment(deployment.Where, deployment.Node, podLabels, configMaps, secrets);
        var services = objects.Where(o => o.Kind == "Service").ToList();
        var pdbs = objects.Where(o => o.Kind == "PodDisruptionBudget").ToList();
        if (services.Count == 0 || pdbs.Count == 0)
        {
            _problems.Add($"deploy/kubernetes: needs a Service and a PodDisruptionBudget (found {services.Count} and {pdbs.Count}).");
        }
        if (configMaps.Count == 0 || secrets.Count == 0)
        {
            _problems.Add($"deploy/kubernetes: needs a ConfigMap and a Secret example (found {configMaps.Count} and {secrets.Count}).");
        }
        foreach (var service in services)
        {
            var selector = service.Node.At("spec", "selector").Strings();
            if (selector.Count == 0 || !IsSubset(selector, podLabels))
            {
                _problems.Add($"{service.Where}: the selector {Show(selector)} does not select the Deployment's pods {Show(podLabels)}.");
            }
            var ports = service.Node.At("spec", "ports").Items().ToList();
            if (ports.Count == 0)
            {
                _problems.Add($"{service.Where}: spec.ports is empty.");
            }
            foreach (var port in ports)
            {
                if (port.Text("port") is null || (container is not null && ContainerPort(container, port.Text("targetPort") ?? port.Text("port")) is null))
                {
                    _problems.Add($"{service.Where}: port {port.Text("port")} has targetPort '{port.Text("targetPort")}', which is not a port of the gateway container.");
                }
            }
            foreach (var pdb in pdbs)
            {
                var pdbSelector = pdb.Node.At("spec", "selector", "matchLabels").Strings();
                if (!pdbSelector.OrderBy(p => p.Key).SequenceEqual(selector.OrderBy(p => p.Key)))
                {
                    _problems.Add($"{pdb.Where}: the selector {Show(pdbSelector)} differs from the Service's {Show(selector)}.");
                }
            }
        }
        foreach (var pdb in pdbs)
        {
            var selector = pdb.Node.At("spec", "selector", "matchLabels").Strings();
            if (selector.Count == 0 || !IsSubset(selector, podLabels))
            {
                _problems.Add($"{pdb.Where}: the selector {Show(selector)} does not select the Deployment's pods {Show(podLabels)}.");
            }
            var bounds = new[] { "minAvailable", "maxUnavailable" }.Count(b => pdb.Node.At("spec", b) is not null);
            if (bounds != 1)
            {
                _problems.Add($"{pdb.Where}: exactly one of spec.minAvailable and spec.maxUnavailable must be set.");
            }
        }
    }

    /// <summary>The Deployment: replicas, labels, probes against the gateway's routes and ports, the stop's timing, the pod's hardening.</summary>
    private YamlNode? CheckDeployment(string where, YamlNode deployment, Dictionary<string, string> podLabels,
        List<(string Where, string Kind, string Name, YamlNode Node)> configMaps, List<(string Where, string Kind, string Name, YamlNode Node)> secrets)
    {
        var spec = deployment.At("spec");
        if (!int.TryParse(spec.Text("replicas"), out var replicas) || replicas < 3)
        {
            _problems.Add($"{where}: spec.replicas must be at least 3 (got '{spec.Text("replicas")}').");
        }
        var matchLabels = spec.At("selector", "matchLabels").Strings();
        if (matchLabels.Count == 0 || !IsSubset(matchLabels, podLabels))
        {
            _problems.Add($"{where}: spec.selector.matchLabels {Show(matchLabels)} must be among the pod template's labels {Show(podLabels)}.");
        }
        var pod = spec.At("template", "spec");
        var containers = pod.At("containers").Items().ToList();
        if (containers.Count == 0)
        {
            _problems.Add($"{where}: the pod template has no containers.");
            return null;
        }
        var container = containers[0];
        if (string.IsNullOrEmpty(container.Text("name")) || string.IsNullOrEmpty(container.Text("image")))
        {
            _problems.Add($"{where}: the container needs a name and an image.");
        }

        // The settings the pod gets: the ConfigMaps and Secrets it reads whole, and its own env.
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in container.At("envFrom").Items())
        {
            var (kind, name, pool) = source.Text("configMapRef", "name") is { } map ? ("ConfigMap", map, configMaps) : ("Secret", source.Text("secretRef", "name"), secrets);
            if (pool.FirstOrDefault(o => o.Name == name) is not { Node: { } found })
            {
                _problems.Add($"{where}: envFrom names the {kind} '{name}', which is not under deploy/kubernetes.");
                continue;
            }
            foreach (var (key, value) in found.At("data").Entries().Concat(found.At("stringData").Entries()))
            {
                environment[key] = value.Text();
            }
        }
        foreach (var variable in container.At("env").Items())
        {
            environment[variable.Text("name") ?? ""] = variable.Text("value");
        }
        foreach (var (name, value) in environment)
        {
            CheckSetting(where, name, value is null || value.Contains("CHANGE-ME", StringComparison.Ordinal) ? null : value);
        }
        if (!environment.ContainsKey("Switchboard__Billing__InstanceName") || container.At("env").Items().FirstOrDefault(e => e.Text("name") == "Switchboard__Billing__InstanceName")?.Text("valueFrom", "fieldRef", "fieldPath") != "metadata.name")
        {
            _problems.Add($"{where}: Switchboard__Billing__InstanceName should come from the pod's name (fieldRef metadata.name), one per replica.");
        }
        if (environment.GetValueOrDefault("Switchboard__Database__Provider") != "Postgres")
        {
            _problems.Add($"{where}: replicas must share PostgreSQL (Switchboard__Database__Provider=Postgres).");
        }

        // Probes: the gateway's real routes, on a port the container declares, the port it listens on.
        var listening = environment.GetValueOrDefault("Urls") is { } urls ? PortOf(urls) : ImagePort;
        var declared = container.At("ports").Items().Select(p => p.Text("containerPort")).ToList();
        if (listening is { } port && !declared.Contains(port.ToString(CultureInfo.InvariantCulture)))
        {
            _problems.Add($"{where}: the container listens on {port} but declares containerPort {string.Join(", ", declared)}.");
        }
        foreach (var (probe, path) in new (string Probe, string? Path)[] { ("readinessProbe", "/readyz"), ("livenessProbe", "/healthz"), ("startupProbe", null) })
        {
            var get = container.At(probe, "httpGet");
            var asked = get.Text("path");
            if (get is null || asked is null || (path is not null ? asked != path : !HealthRoutes.Contains(asked)))
            {
                _problems.Add($"{where}: {probe} must be an httpGet of {path ?? "/healthz or /readyz"} (got '{asked ?? "none"}').");
                continue;
            }
            ProbePaths.Add(asked);
            if (ContainerPortNumber(container, get.Text("port")) is not { } target || target != listening)
            {
                _problems.Add($"{where}: {probe} asks port '{get.Text("port")}', not the port the gateway listens on ({listening}).");
            }
        }
        if (int.TryParse(container.Text("readinessProbe", "timeoutSeconds") ?? "1", out var readinessTimeout) && readinessTimeout <= 2)
        {
            _problems.Add($"{where}: readinessProbe.timeoutSeconds {readinessTimeout} leaves no room for the probe's own 2 s database timeout.");
        }

        // The stop: preStop pause, then SIGTERM, the drain, the host's 30 s after it; the grace period covers it all.
        var drain = DrainTimeout(where, environment.GetValueOrDefault("Switchboard__Shutdown__DrainTimeout"));
        var preStop = container.At("lifecycle", "preStop");
        var pause = int.TryParse(preStop.Text("sleep", "seconds"), out var seconds) ? seconds : 0;
        if (preStop is not null && preStop.At("sleep") is null)
        {
            _problems.Add($"{where}: the preStop hook must be a sleep action; the chiseled image has no shell to run one.");
        }
        var needed = TimeSpan.FromSeconds(pause) + drain + LifecycleServiceCollectionExtensions.AfterDrain + StopMargin;
        if (!int.TryParse(pod.Text("terminationGracePeriodSeconds"), out var grace) || TimeSpan.FromSeconds(grace) < needed)
        {
            _problems.Add($"{where}: terminationGracePeriodSeconds '{pod.Text("terminationGracePeriodSeconds") ?? "unset (30)"}' is shorter than the preStop sleep ({pause} s) + "
                + $"Switchboard:Shutdown:DrainTimeout ({drain.TotalSeconds:0} s) + the host's 30 s + {StopMargin.TotalSeconds:0} s margin = {needed.TotalSeconds:0} s.");
        }

        // Hardening: non-root, read-only root, the data directory and /tmp on emptyDirs.
        if (pod.Text("securityContext", "runAsNonRoot") != "true" && container.Text("securityContext", "runAsNonRoot") != "true")
        {
            _problems.Add($"{where}: runAsNonRoot must be true.");
        }
        if (container.Text("securityContext", "readOnlyRootFilesystem") != "true")
        {
            _problems.Add($"{where}: the container's root filesystem must be read-only (securityContext.readOnlyRootFilesystem).");
        }
        if (container.Text("securityContext", "allowPrivilegeEscalation") != "false")
        {
            _problems.Add($"{where}: allowPrivilegeEscalation must be false.");
        }
        var emptyDirs = pod.At("volumes").Items().Where(v => v.At("emptyDir") is not null).Select(v => v.Text("name")).ToHashSet();
        var mounts = container.At("volumeMounts").Items().ToDictionary(m => m.Text("mountPath") ?? "", m => m.Text("name"));
        foreach (var writable in new[] { environment.GetValueOrDefault("Switchboard__Database__DataDirectory") ?? "/data", "/tmp" })
        {
            if (!mounts.TryGetValue(writable, out var volume) || !emptyDirs.Contains(volume))
            {
                _problems.Add($"{where}: {writable} must be an emptyDir mount: the root filesystem is read-only.");
            }
        }
        if (environment.GetValueOrDefault("Switchboard__DataProtection__CertificatePath") is not { } certificate
            || !mounts.Keys.Any(m => certificate.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal)))
        {
            _problems.Add($"{where}: Switchboard__DataProtection__CertificatePath must lie in a mounted volume (the key-ring certificate Secret).");
        }
        if (container.At("resources", "requests", "cpu") is null || container.At("resources", "requests", "memory") is null || container.At("resources", "limits", "memory") is null)
        {
            _problems.Add($"{where}: the container needs CPU and memory requests and a memory limit.");
        }
        return container;
    }

    /// <summary>ConfigMap and Secret values must be strings; a Secret example holds placeholders, never a real secret.</summary>
    private void CheckStringValues(string where, YamlNode node, bool secret)
    {
        foreach (var (key, value) in node.At("data").Entries().Concat(node.At("stringData").Entries()))
        {
            if (value is not YamlScalarNode scalar || YamlFile.IsTypedPlainScalar(scalar))
            {
                _problems.Add($"{where}: the value of {key} must be a string; quote it.");
            }
            else if (secret && !scalar.Value!.Contains("CHANGE-ME", StringComparison.Ordinal))
            {
                _problems.Add($"{where}: {key} must be a CHANGE-ME placeholder: examples never hold secrets.");
            }
        }
        if (secret && node.At("data") is not null)
        {
            _problems.Add($"{where}: use stringData with placeholders, not data.");
        }
    }

    private void CheckKustomization(string file, YamlNode node, string directory)
    {
        foreach (var resource in node.At("resources").Items().Select(r => r.Text() ?? ""))
        {
            if (!File.Exists(Path.Combine(directory, resource)))
            {
                _problems.Add($"{file}: resource {resource} does not exist.");
            }
        }
    }

    private static YamlNode? ContainerPort(YamlNode container, string? reference) =>
        reference is null ? null : container.At("ports").Items().FirstOrDefault(p => p.Text("name") == reference || p.Text("containerPort") == reference);

    private static int? ContainerPortNumber(YamlNode container, string? reference) =>
        int.TryParse(ContainerPort(container, reference).Text("containerPort"), out var port) ? port : null;
}
