using Switchboard.Accounts;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.RateLimiting;

namespace Switchboard.Configuration;

/// <summary>The <c>Switchboard</c> configuration section. Validated at start-up by <see cref="SwitchboardOptionsValidator"/>.</summary>
internal sealed class SwitchboardOptions
{
    public const string Section = "Switchboard";

    /// <summary>Wires every catalog provider to the built-in upstream simulator, so a request works with no account.</summary>
    public bool Demo { get; set; }

    /// <summary>Catalog file to load instead of the shipped <c>Catalog/catalog.json</c>.</summary>
    public string? CatalogPath { get; set; }

    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, ModelOptions> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public TimeoutOptions Timeouts { get; set; } = new();
    public HealthOptions Health { get; set; } = new();
    public Catalog.Discovery.DiscoveryOptions Discovery { get; set; } = new();
    public StreamingOptions Streaming { get; set; } = new();
    public DatabaseOptions Database { get; set; } = new();
    public BillingOptions Billing { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public Keys.KeyAuthenticationOptions Authentication { get; set; } = new();
    public AdminOptions Admin { get; set; } = new();
    public Web.WebOptions Web { get; set; } = new();
    public Alerts.AlertsOptions Alerts { get; set; } = new();
    public ShutdownOptions Shutdown { get; set; } = new();
    public Security.NetworkOptions Network { get; set; } = new();
    public Security.KeyRingOptions DataProtection { get; set; } = new();
    public Routing.AutoRouterOptions AutoRouter { get; set; } = new();

    /// <summary>Largest chat request body accepted; images as data URLs make bodies large.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32 * 1024 * 1024;
}

/// <summary>Operator settings for one provider: overrides for a catalog provider, or a whole new one.</summary>
internal sealed class ProviderOptions
{
    public bool? Enabled { get; set; }
    public string? Name { get; set; }
    public string? BaseUrl { get; set; }
    public string? Protocol { get; set; }

    /// <summary>The credential itself. Prefer the environment variable named by <see cref="ApiKeyEnv"/>.</summary>
    public string? ApiKey { get; set; }
    public string? ApiKeyEnv { get; set; }
    public bool? ApiKeyOptional { get; set; }
    public bool? CollectsData { get; set; }

    /// <summary>The credential is the account's own: requests are charged only the BYOK fee (<c>Billing:ByokFee</c>).</summary>
    public bool? Byok { get; set; }

    /// <summary>Upper bound on HTTP/1.1 connections to this provider; unlimited when unset.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>
    /// Speak HTTP/2 to this provider. Over <c>https</c> HTTP/2 is used anyway where the provider offers it; set this
    /// for a cleartext (<c>http://</c>) server that accepts HTTP/2 with prior knowledge (h2c), so that thousands of
    /// concurrent streams share a few connections instead of holding a socket each.
    /// </summary>
    public bool? Http2 { get; set; }

    /// <summary>Read the provider's <c>GET /models</c> and serve what it lists (overrides the catalog's <c>discovery</c>).</summary>
    public bool? Discovery { get; set; }
}

/// <summary>Adds a model, or merges into a catalog model of the same id.</summary>
internal sealed class ModelOptions
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public int? ContextLength { get; set; }

    /// <summary>More names for the model, added to the catalog's.</summary>
    public List<string>? Aliases { get; set; }
    public Dictionary<string, EndpointOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Adds an endpoint, or overrides only the given fields of the catalog endpoint of that provider.</summary>
internal sealed class EndpointOptions
{
    public bool? Enabled { get; set; }
    public string? UpstreamModel { get; set; }
    public int? ContextLength { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public string? Quantization { get; set; }
    public PricingOptions? Pricing { get; set; }
    public List<string>? SupportedParameters { get; set; }
}

/// <summary>Prices in USD per million tokens; <see cref="Request"/> in USD per request.</summary>
internal sealed class PricingOptions
{
    public decimal? Prompt { get; set; }
    public decimal? Completion { get; set; }
    public decimal? Request { get; set; }
    public decimal? InputCacheRead { get; set; }
    public decimal? InputCacheWrite { get; set; }
}

internal sealed class TimeoutOptions
{
    public TimeSpan Connect { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Streaming: how long to wait for response headers before trying the next endpoint.</summary>
    public TimeSpan StreamingHeaders { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Non-streaming: the whole response, since its headers come only after the generation ends.</summary>
    public TimeSpan NonStreamingResponse { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Streaming: longest silence between two upstream events. Resets on every read, so long generations live.</summary>
    public TimeSpan StreamIdle { get; set; } = TimeSpan.FromMinutes(5);
}

internal sealed class HealthOptions
{
    /// <summary>Consecutive failures that open an endpoint's circuit.</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>How long an open circuit skips the endpoint before one probe request is let through.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An endpoint that failed within this window is ranked after healthy ones (OpenRouter uses 30 s).</summary>
    public TimeSpan RecentFailureWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On PostgreSQL, how often this replica tells the others (through the store) of the endpoint failures and circuit
    /// changes it saw, and learns theirs; 0 turns sharing off. SQLite serves one process, so nothing is shared there.
    /// </summary>
    public TimeSpan ShareInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary><c>Switchboard:Shutdown</c>: what a graceful stop (SIGTERM, Ctrl+C) waits for.</summary>
internal sealed class ShutdownOptions
{
    /// <summary>
    /// How long requests and streams in flight may run on after a stop signal. Streams still running then end with an
    /// error chunk and are charged for what was delivered. The default matches <c>Timeouts:NonStreamingResponse</c>, the
    /// longest a generation is otherwise allowed; an orchestrator's grace period must exceed it (docs/accounts.md).
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(10);
}

internal sealed class StreamingOptions
{
    /// <summary>Interval of <c>: SWITCHBOARD PROCESSING</c> comments while a stream waits for the upstream.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(5);
}
