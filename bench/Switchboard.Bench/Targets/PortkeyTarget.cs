using System.Globalization;
using Switchboard.Bench.Hosting;

namespace Switchboard.Bench.Targets;

/// <summary>
/// Portkey's open-source AI gateway (npm <c>@portkey-ai/gateway</c>, installed by bench/run.sh from
/// bench/portkey/package-lock.json) as the peer gateway: Node.js, one process, started in the foreground.
/// It has no catalog of its own: each request names the provider and the upstream in headers
/// (<see cref="Headers"/>), which is how Portkey reaches a self-hosted OpenAI-compatible server.
/// </summary>
internal static class PortkeyTarget
{
    /// <summary>Where the npm package keeps the server, under the install directory.</summary>
    private static readonly string ServerScript = Path.Combine("node_modules", "@portkey-ai", "gateway", "build", "start-server.js");

    /// <summary>Copied next to the install from bench/portkey; keeps Portkey on 127.0.0.1.</summary>
    private const string LoopbackPreload = "loopback.mjs";

    public static ProcessHost Start(BenchOptions options, string workDirectory, int port)
    {
        var install = options.PortkeyDirectory ?? throw new UsageException("--portkey is required for the portkey target");
        var server = Path.Combine(install, ServerScript);
        var preload = Path.Combine(install, LoopbackPreload);
        foreach (var file in new[] { server, preload })
        {
            if (!File.Exists(file))
            {
                throw new BenchFailureException($"portkey: no {file}; bench/run.sh installs it with npm ci");
            }
        }

        // --headless and NODE_ENV=production: no web UI and no log-streaming middleware, the way it would be deployed.
        return ProcessHost.Start(
            Target.Portkey,
            options.NodePath,
            ["--import", new Uri(preload).AbsoluteUri, server, string.Create(CultureInfo.InvariantCulture, $"--port={port}"), "--headless"],
            new Dictionary<string, string> { ["NODE_ENV"] = "production" },
            Path.Combine(workDirectory, "portkey.log"));
    }

    /// <summary>
    /// Portkey's way to an OpenAI-compatible server of one's own: provider <c>openai</c> with a custom host, which
    /// it extends with <c>/chat/completions</c>. Its default trusted hosts include 127.0.0.1.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(Uri upstreamBase) =>
    [
        new("x-portkey-provider", "openai"),
        new("x-portkey-custom-host", upstreamBase.ToString().TrimEnd('/')),
    ];
}
