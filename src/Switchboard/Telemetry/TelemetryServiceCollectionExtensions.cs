using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Api;

namespace Switchboard.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// The gateway's meter and its instruments, the Prometheus exporter (unless turned off), and, when an OTLP endpoint
    /// is configured, OTLP export of metrics and traces. Without an OTLP endpoint nothing listens to spans, so tracing
    /// costs one check per span site.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<AccountLabels>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<GatewayGauges>();
        services.AddSingleton<MetricsAccess>();

        // Read here, not through IOptions: what is exported decides what is registered. The validator still runs at start.
        var settings = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = ValidEndpoint(settings, builder.Configuration);
        if (!settings.Prometheus && otlp is null)
        {
            return builder;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("switchboard"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GatewayMetrics.MeterName);
                if (settings.HttpMetrics)
                {
                    // ASP.NET Core's and HttpClient's standard HTTP metrics: recorded per request and per upstream call
                    // by the framework, at a cost of its own on the request path, so only when asked for.
                    metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                }
                if (settings.Prometheus)
                {
                    // A scrape is served from a copy at most 1 s old: scrapers polling hard cost one collection a second.
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 1000);
                }
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, settings, otlp, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.OtlpExportInterval.TotalMilliseconds;
                    });
                }
            });
        if (otlp is not null)
        {
            // An upstream call gets an HttpClient span only through the runtime's diagnostics handler, which the project
            // file switches off for the cost (a tenth of the request path's allocations) when nobody traces.
            AppContext.SetSwitch("System.Net.Http.EnableActivityPropagation", true);
            // W3C trace context only, and written by the runtime, not by OpenTelemetry's HttpClient instrumentation: with
            // its default (trace context plus baggage) the instrumentation writes the headers itself, past the per-provider
            // choice (ProviderRegistry sets each handler's ActivityHeadersPropagator from PropagateToProviders).
            Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
            telemetry.WithTracing(tracing => tracing
                .AddSource(GatewayTracing.SourceName)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => Traced(context.Request.Path))
                .AddHttpClientInstrumentation()
                // The caller's traceparent decides when it sent one; otherwise the ratio does.
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TraceSampleRatio)))
                .AddOtlpExporter(exporter =>
                {
                    Configure(exporter, settings, otlp, "v1/traces");
                    // Spans leave in batches, at least as often as metrics (and every 5 s at the latest).
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)Math.Min(5000, settings.OtlpExportInterval.TotalMilliseconds);
                }));
        }
        return builder;
    }

    /// <summary><c>GET /metrics</c>, behind <see cref="MetricsAccess"/>; not behind API keys or rate limits.</summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        // The gauges observe from the moment they exist: made now, not on some first request.
        app.Services.GetRequiredService<GatewayGauges>();
        if (!app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus)
        {
            return app;
        }
        var access = app.Services.GetRequiredService<MetricsAccess>();
        app.MapPrometheusScrapingEndpoint(MetricsPath, null, branch => branch.Use((HttpContext context, RequestDelegate next) =>
            access.Check(context) is { } refusal ? ApiErrorWriter.WriteAsync(context.Response, refusal) : next(context)), null);
        return app;
    }

    private static Uri? ValidEndpoint(TelemetryOptions settings, IConfiguration configuration)
    {
        try
        {
            return settings.ResolvedOtlpEndpoint(configuration) is { Scheme: "http" or "https" } endpoint ? endpoint : null;
        }
        catch (UriFormatException)
        {
            return null; // the validator names the setting at start
        }
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions settings, Uri endpoint, string signalPath)
    {
        exporter.Protocol = settings.OtlpProtocol == OtlpTransport.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        // Set in code, the endpoint is taken as the signal's full URL: the standard path is added here, as a collector expects.
        exporter.Endpoint = settings.OtlpProtocol == OtlpTransport.Grpc ? endpoint : new Uri(endpoint, signalPath);
    }

    /// <summary>Scrapes and probes are not traced: they would be most of the spans and tell nothing.</summary>
    private static bool Traced(PathString path) =>
        !path.StartsWithSegments(MetricsPath) && !path.StartsWithSegments("/healthz") && !path.StartsWithSegments("/readyz")
        && !path.StartsWithSegments("/health");
}
