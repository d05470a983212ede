using Microsoft.Extensions.Options;
using Switchboard.Alerts;

namespace Switchboard.Telemetry;

/// <summary><c>Switchboard:Telemetry</c>: metrics on <c>GET /metrics</c>, OTLP export, traces. See docs/observability.md.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Switchboard:Telemetry";

    /// <summary>Serve <c>GET /metrics</c> in Prometheus' text format. On by default.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>
    /// When set, <c>GET /metrics</c> answers only <c>Authorization: Bearer &lt;token&gt;</c> (Prometheus'
    /// <c>authorization.credentials</c>). A token of its own, not an API key: a scraper should hold no key that can
    /// call models or manage accounts.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>When not empty, <c>GET /metrics</c> answers only clients in these networks (CIDR, e.g. <c>10.0.0.0/8</c>, <c>127.0.0.1/32</c>).</summary>
    public List<string> MetricsNetworks { get; set; } = [];

    /// <summary>
    /// Base URL of an OTLP receiver (a collector); metrics go to <c>/v1/metrics</c> and traces to <c>/v1/traces</c>
    /// under it with http/protobuf. Falls back to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; neither set: no OTLP, no traces.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>HttpProtobuf</c> (default) or <c>Grpc</c> (then <see cref="OtlpEndpoint"/> is the collector's gRPC address).</summary>
    public OtlpTransport OtlpProtocol { get; set; } = OtlpTransport.HttpProtobuf;

    /// <summary>How often metrics are pushed over OTLP.</summary>
    public TimeSpan OtlpExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Fraction of traces kept (0 to 1) when the caller's <c>traceparent</c> has not decided already.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>
    /// Send the trace context (<c>traceparent</c>) to providers with each upstream call. Off: a provider learns
    /// nothing of our traces; the upstream span is recorded all the same.
    /// </summary>
    public bool PropagateToProviders { get; set; }

    /// <summary>
    /// Also export ASP.NET Core's and HttpClient's standard HTTP metrics (<c>http.server.request.duration</c>,
    /// <c>http.client.request.duration</c>, connections). Off: the gateway's own instruments cover its requests, and the
    /// framework's recording is a cost of its own on every request and upstream call.
    /// </summary>
    public bool HttpMetrics { get; set; }

    /// <summary>Label requests, tokens and cost by account id. Off: one series per model and provider, whatever the number of accounts.</summary>
    public bool AccountLabels { get; set; }

    /// <summary>With <see cref="AccountLabels"/>: accounts labelled by id; the rest share <c>other</c>.</summary>
    public int MaxAccountLabels { get; set; } = 100;

    /// <summary>The OTLP endpoint in force: this section's, else the standard environment variable's.</summary>
    public Uri? ResolvedOtlpEndpoint(IConfiguration configuration)
    {
        var value = string.IsNullOrWhiteSpace(OtlpEndpoint) ? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] : OtlpEndpoint;
        return string.IsNullOrWhiteSpace(value) ? null : new Uri(value.TrimEnd('/') + "/", UriKind.Absolute);
    }
}

internal enum OtlpTransport
{
    HttpProtobuf,
    Grpc,
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            errors.Add($"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute http or https URL such as http://collector:4318 (got '{options.OtlpEndpoint}').");
        }
        if (options.OtlpExportInterval < TimeSpan.FromMilliseconds(100) || options.OtlpExportInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{TelemetryOptions.Section}:OtlpExportInterval must be between 100 ms and 1 hour (got {options.OtlpExportInterval}).");
        }
        if (options.TraceSampleRatio is < 0 or > 1 || double.IsNaN(options.TraceSampleRatio))
        {
            errors.Add($"{TelemetryOptions.Section}:TraceSampleRatio must be between 0 and 1 (got {options.TraceSampleRatio}).");
        }
        if (options.MaxAccountLabels is < 1 or > 10_000)
        {
            errors.Add($"{TelemetryOptions.Section}:MaxAccountLabels must be between 1 and 10000 (got {options.MaxAccountLabels}).");
        }
        if (options.MetricsToken is { } token && (token.Length < 16 || token.Trim() != token))
        {
            errors.Add($"{TelemetryOptions.Section}:MetricsToken must be at least 16 characters with no surrounding spaces.");
        }
        foreach (var network in options.MetricsNetworks)
        {
            if (!AddressRange.TryParse(network, out _))
            {
                errors.Add($"{TelemetryOptions.Section}:MetricsNetworks: '{network}' is not a network in CIDR notation such as 10.0.0.0/8.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
