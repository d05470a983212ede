using System.Collections.Frozen;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Demo;

namespace Switchboard.Providers;

/// <summary>
/// One <see cref="ProviderRuntime"/> per enabled provider, built at start-up: credentials resolved from
/// configuration or the provider's environment variable, one pooled <see cref="SocketsHttpHandler"/> each.
/// </summary>
internal sealed class ProviderRegistry : IDisposable
{
    private readonly FrozenDictionary<string, ProviderRuntime> _providers;

    public ProviderRegistry(
        ModelCatalog catalog,
        IEnumerable<IProviderAdapter> adapters,
        IOptions<SwitchboardOptions> options,
        IConfiguration configuration,
        DemoUpstream demo)
    {
        var byProtocol = adapters.ToDictionary(a => a.Protocol, StringComparer.OrdinalIgnoreCase);
        var settings = options.Value;
        _providers = catalog.Providers.ToFrozenDictionary(
            p => p.Slug,
            p => Create(p, byProtocol[p.Protocol], settings, configuration, demo),
            StringComparer.OrdinalIgnoreCase);
    }

    public ProviderRuntime this[ProviderInfo provider] => _providers[provider.Slug];

    public IEnumerable<ProviderRuntime> All => _providers.Values;

    public ProviderRuntime? Find(string slug) => _providers.GetValueOrDefault(slug);

    private static ProviderRuntime Create(ProviderInfo info, IProviderAdapter adapter, SwitchboardOptions settings, IConfiguration configuration, DemoUpstream demo)
    {
        settings.Providers.TryGetValue(info.Slug, out var overrides);
        var propagate = configuration.GetValue<bool>($"{Telemetry.TelemetryOptions.Section}:{nameof(Telemetry.TelemetryOptions.PropagateToProviders)}");
        var http = new HttpMessageInvoker(CreateHandler(settings.Timeouts.Connect, overrides?.MaxConnections, propagate), disposeHandler: true);

        if (demo.IsEnabled)
        {
            return new ProviderRuntime(info, "Simulator", demo.BaseUrlFor(info.Slug), new ProviderCredential("demo"), null, adapter, http);
        }

        var secret = overrides?.ApiKey;
        if (string.IsNullOrEmpty(secret) && info.ApiKeyEnv is { } variable)
        {
            secret = configuration[variable];
        }
        var credential = string.IsNullOrEmpty(secret) ? null : new ProviderCredential(secret);
        var missing = credential is null && !info.ApiKeyOptional
            ? info.ApiKeyEnv ?? $"Switchboard:Providers:{info.Slug}:ApiKey"
            : null;
        return new ProviderRuntime(info, info.Name, info.BaseUrl, credential, missing, adapter, http, overrides?.Byok ?? false, overrides?.Http2 ?? false);
    }

    private static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout, int? maxConnections, bool propagateTraceContext) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        // Bodies must be readable to meter usage, so none is compressed: no Accept-Encoding is sent.
        AutomaticDecompression = DecompressionMethods.None,
        // Streams hold an HTTP/2 stream open for minutes; without this a provider's per-connection limit becomes a hidden queue.
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = connectTimeout,
        // Provider hosts sit behind CDNs: recycle connections so DNS changes are picked up.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = maxConnections ?? int.MaxValue,
        // Only when tracing is on does an upstream call have a span whose context could travel (see Telemetry/); even
        // then a provider sees our trace ids only if the operator says so (Switchboard:Telemetry:PropagateToProviders).
        ActivityHeadersPropagator = propagateTraceContext ? DistributedContextPropagator.CreateDefaultPropagator() : DistributedContextPropagator.CreateNoOutputPropagator(),
    };

    public void Dispose()
    {
        foreach (var provider in _providers.Values)
        {
            provider.Dispose();
        }
    }
}
