using System.Globalization;
using System.Text.RegularExpressions;
using Switchboard.Configuration;
using Switchboard.Lifecycle;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Tests.Deployment;

/// <summary><c>deploy/compose.yaml</c> and its nginx configuration: PostgreSQL, the replicas, the balancer.</summary>
internal sealed partial class DeploymentChecks
{

    private void CheckCompose()
    {
        const string Name = "deploy/compose.yaml";
        var path = Path.Combine(_root, "deploy", "compose.yaml");
        if (!File.Exists(path))
        {
            _problems.Add($"{Name}: missing.");
            return;
        }
        if (YamlFile.Load(path, Name, _problems) is not { Documents: [var compose] })
        {
            return;
        }
        var services = compose.At("services").Entries().ToDictionary(s => s.Key, s => s.Value);
        var postgres = services.Where(s => s.Value.Text("image")?.StartsWith("postgres", StringComparison.Ordinal) == true).Select(s => s.Key).ToList();
        if (postgres.Count != 1)
        {
            _problems.Add($"{Name}: expected one PostgreSQL service (image postgres:...), found {postgres.Count}.");
        }
        else if (services[postgres[0]].At("healthcheck", "test") is null)
        {
            _problems.Add($"{Name}: the PostgreSQL service needs a healthcheck, for the gateways to wait on.");
        }
        var gateways = services.Where(s => s.Value.At("build") is not null || s.Value.Text("image")?.StartsWith("switchboard", StringComparison.Ordinal) == true)
            .ToDictionary(s => s.Key, s => s.Value);
        if (gateways.Count < 3)
        {
            _problems.Add($"{Name}: expected 3 gateway replicas (services built from the Dockerfile), found {gateways.Count}.");
        }
        var port = ImagePort ?? 8080;
        var environments = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (name, gateway) in gateways)
        {
            var where = $"{Name}: service {name}";
            var environment = ComposeEnvironment(gateway.At("environment"));
            environments[name] = environment;
            foreach (var (variable, value) in environment)
            {
                CheckSetting(where, variable, ComposeDefaults(value));
            }
            if (environment.TryGetValue("Urls", out var urls) && PortOf(urls) is { } own)
            {
                port = own;
            }
            var test = string.Join(' ', gateway.At("healthcheck", "test").Items().Select(i => i.Text()));
            if (UrlPath().Match(test) is not { Success: true } probe || probe.Groups[1].Value != "/readyz")
            {
                _problems.Add($"{where}: the healthcheck must ask /readyz, so the balancer starts with replicas that can serve (got '{test}').");
            }
            else
            {
                ProbePaths.Add(probe.Groups[1].Value);
                if (PortOf(UrlIn().Match(test).Value) != port)
                {
                    _problems.Add($"{where}: the healthcheck asks port {PortOf(UrlIn().Match(test).Value)}, the gateway listens on {port}.");
                }
            }
            if (postgres.Count == 1 && gateway.Text("depends_on", postgres[0], "condition") != "service_healthy")
            {
                _problems.Add($"{where}: must depend on {postgres[0]} with condition service_healthy (the gateway migrates at start).");
            }
            CheckStopGrace(where, gateway.Text("stop_grace_period"), environment);
            if (environment.GetValueOrDefault("Switchboard__Database__Provider") != "Postgres")
            {
                _problems.Add($"{where}: replicas must share PostgreSQL (Switchboard__Database__Provider=Postgres).");
            }
            if (environment.TryGetValue("Switchboard__DataProtection__CertificatePath", out var certificate))
            {
                var attached = gateway.At("secrets").Items().Select(s => s.Text() ?? s.Text("source")).ToList();
                if (!attached.Any(s => certificate == $"/run/secrets/{s}") || compose.At("secrets", certificate["/run/secrets/".Length..]) is null)
                {
                    _problems.Add($"{where}: the key-ring certificate '{certificate}' is not a secret declared and attached to the service.");
                }
            }
        }
        CheckSharedAndDistinct(Name, environments);
        CheckBalancer(Name, services, gateways.Keys.ToList(), port);
    }

    /// <summary>
    /// What replicas must agree on, and what must tell them apart: every setting but the instance name is the same on
    /// every replica, and the instance names differ.
    /// </summary>
    private void CheckSharedAndDistinct(string name, Dictionary<string, Dictionary<string, string>> environments)
    {
        const string InstanceName = "Switchboard__Billing__InstanceName";
        var names = environments.Select(e => e.Value.GetValueOrDefault(InstanceName)).ToList();
        if (names.Any(n => n is null) || names.Distinct().Count() != names.Count)
        {
            _problems.Add($"{name}: every replica needs its own {InstanceName} (got {string.Join(", ", names.Select(n => n ?? "none"))}).");
        }
        foreach (var variable in environments.Values.SelectMany(e => e.Keys).Distinct().Where(v => v != InstanceName))
        {
            var values = environments.Select(e => e.Value.GetValueOrDefault(variable)).Distinct().ToList();
            if (values.Count > 1)
            {
                _problems.Add($"{name}: {variable} differs between replicas; it must be shared (docs/deployment.md).");
            }
        }
        foreach (var required in new[] { "Switchboard__Database__ConnectionString", "Switchboard__Admin__InitialManagementKey", "Switchboard__DataProtection__CertificatePath" })
        {
            if (environments.Values.Any(e => !e.ContainsKey(required)))
            {
                _problems.Add($"{name}: every replica needs {required}.");
            }
        }
        if (environments.Values.Any(e => !e.Keys.Any(k => k.StartsWith("Switchboard__Network__ForwardedHeaders__", StringComparison.Ordinal))))
        {
            _problems.Add($"{name}: replicas behind the balancer must trust its forwarded headers (Switchboard__Network__ForwardedHeaders__KnownNetworks__0).");
        }
    }

    private void CheckBalancer(string name, Dictionary<string, YamlNode> services, List<string> gateways, int port)
    {
        var balancers = services.Where(s => s.Value.Text("image")?.StartsWith("nginx", StringComparison.Ordinal) == true).ToList();
        if (balancers.Count != 1)
        {
            _problems.Add($"{name}: expected one load balancer (image nginx:...), found {balancers.Count}.");
            return;
        }
        var (lbName, lb) = balancers[0];
        foreach (var gateway in gateways.Where(g => lb.Text("depends_on", g, "condition") != "service_healthy"))
        {
            _problems.Add($"{name}: {lbName} must depend on {gateway} with condition service_healthy.");
        }
        var mount = lb.At("volumes").Items().Select(v => v.Text()?.Split(':')).FirstOrDefault(v => v is { Length: >= 2 } && v[1] == "/etc/nginx/nginx.conf");
        if (mount is null)
        {
            _problems.Add($"{name}: {lbName} must mount its configuration at /etc/nginx/nginx.conf.");
            return;
        }
        var configPath = Path.GetFullPath(Path.Combine(_root, "deploy", mount[0]));
        if (!configPath.StartsWith(Path.GetFullPath(Path.Combine(_root, "deploy")), StringComparison.Ordinal) || !File.Exists(configPath))
        {
            _problems.Add($"{name}: {lbName}'s configuration {mount[0]} is not a file under deploy/.");
            return;
        }
        NginxConfigPath = configPath;
        var published = lb.At("ports").Items().Select(p => p.Text()?.Split(':')[^1]).ToList();
        CheckNginx(Path.GetRelativePath(_root, configPath), File.ReadAllText(configPath), gateways, port, published);
    }

    /// <summary>The balancer's configuration, for the test that has nginx check it where nginx is installed.</summary>
    public string? NginxConfigPath { get; private set; }

    private void CheckNginx(string name, string config, List<string> gateways, int port, List<string?> published)
    {
        var text = NginxComment().Replace(config, "");
        var servers = NginxUpstreamServer().Matches(text).Select(m => (Host: m.Groups[1].Value, Port: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        var missing = gateways.Where(g => !servers.Any(s => s.Host == g && s.Port == port)).ToList();
        if (missing.Count > 0 || servers.Count != gateways.Count)
        {
            _problems.Add($"{name}: the upstream must list every replica at port {port} ({string.Join(", ", gateways)}); it lists {string.Join(", ", servers.Select(s => $"{s.Host}:{s.Port}"))}.");
        }
        var required = new (string Directive, string Why)[]
        {
            ("proxy_buffering off", "server-sent events must go out chunk by chunk"),
            ("proxy_http_version 1.1", "keep-alive connections to the replicas"),
            ("proxy_set_header Connection \"\"", "keep-alive connections to the replicas"),
            ("proxy_set_header X-Forwarded-For", "the gateways see client addresses through it"),
            ("proxy_set_header X-Forwarded-Proto", "the gateways see HTTPS through it"),
        };
        foreach (var (directive, why) in required.Where(r => !Regex.IsMatch(text, Regex.Escape(r.Directive).Replace("\\ ", "\\s+", StringComparison.Ordinal) + "\\s*;?")))
        {
            _problems.Add($"{name}: needs '{directive};' ({why}).");
        }
        if (!Regex.IsMatch(text, @"upstream\s+\w+\s*\{[^}]*\bkeepalive\s+\d+\s*;"))
        {
            _problems.Add($"{name}: the upstream needs 'keepalive N;' (idle connections kept to the replicas).");
        }
        var readTimeout = Regex.Match(text, @"proxy_read_timeout\s+(\d+)([smh]?)\s*;");
        var nonStreaming = new TimeoutOptions().NonStreamingResponse;
        if (!readTimeout.Success || NginxTime(readTimeout) <= nonStreaming)
        {
            _problems.Add($"{name}: proxy_read_timeout must exceed Switchboard:Timeouts:NonStreamingResponse ({nonStreaming}): a non-streamed answer is silent until it is done.");
        }
        var listen = Regex.Match(text, @"listen\s+(\d+)\s*;");
        if (!listen.Success || !published.Contains(listen.Groups[1].Value))
        {
            _problems.Add($"{name}: listens on {(listen.Success ? listen.Groups[1].Value : "nothing")}, but the compose file publishes {string.Join(", ", published)}.");
        }
    }

    private static TimeSpan NginxTime(Match match)
    {
        var value = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "m" => TimeSpan.FromMinutes(value), "h" => TimeSpan.FromHours(value), _ => TimeSpan.FromSeconds(value) };
    }

    /// <summary>Compose's stop_grace_period: the drain, the host's 30 s after it, and the margin.</summary>
    private void CheckStopGrace(string where, string? grace, Dictionary<string, string> environment)
    {
        var needed = DrainTimeout(where, environment.GetValueOrDefault("Switchboard__Shutdown__DrainTimeout")) + LifecycleServiceCollectionExtensions.AfterDrain + StopMargin;
        if (ComposeDuration(grace) is not { } given || given < needed)
        {
            _problems.Add($"{where}: stop_grace_period '{grace ?? "unset (10 s)"}' is shorter than the drain + 30 s + margin ({needed.TotalSeconds:0} s); Docker would kill streams mid-drain.");
        }
    }

    private static Dictionary<string, string> ComposeEnvironment(YamlNode? environment) =>
        environment is YamlSequenceNode list
            ? list.Children.Select(i => i.Text() ?? "").Where(i => i.Length > 0).Select(i => i.Split('=', 2))
                .ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "", StringComparer.Ordinal)
            : environment.Strings();

    /// <summary>A compose value with its interpolations resolved as far as the file says: defaults taken, others a placeholder.</summary>
    private static string ComposeDefaults(string value) =>
        ComposeInterpolation().Replace(value, m => m.Groups[2].Success ? m.Groups[2].Value : "placeholder");

    private static TimeSpan? ComposeDuration(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var parts = ComposeDurationPart().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
        {
            return null;
        }
        return parts.Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.Groups[2].Value switch
        {
            "h" => TimeSpan.FromHours(double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture)),
            "m" => TimeSpan.FromMinutes(double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture)),
            "ms" => TimeSpan.FromMilliseconds(double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture)),
            _ => TimeSpan.FromSeconds(double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture)),
        }));
    }
}
