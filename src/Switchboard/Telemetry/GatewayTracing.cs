using System.Diagnostics;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Routing;

namespace Switchboard.Telemetry;

/// <summary>
/// The gateway's spans, after the OpenTelemetry GenAI semantic conventions: one per generation request (a child of
/// ASP.NET Core's server span, so of the caller's <c>traceparent</c> when it sent one) and one per upstream attempt
/// (the parent of HttpClient's span for the call). Attributes name models, providers, endpoints, token counts and
/// outcomes; never prompt or completion text, keys or credentials. With no tracer configured nothing listens, and
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null at the cost of one check.
/// </summary>
internal static class GatewayTracing
{
    public const string SourceName = "Switchboard";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span of one generation request, or null when no tracer listens.</summary>
    public static Activity? StartRequest(IngressDialect dialect)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var operation = Operation(dialect);
        var span = Source.StartActivity(operation, ActivityKind.Internal);
        span?.SetTag("gen_ai.operation.name", operation);
        span?.SetTag("switchboard.api", TelemetryLabels.Api(dialect));
        return span;
    }

    /// <summary>
    /// What the request span learned once the route is planned: the model asked for, the catalog model it resolved to
    /// (which names the span: a name a client typed would make span names unbounded), and the generation's id.
    /// </summary>
    public static void Planned(Activity? span, ChatRequest request, string plannedModel, string generationId)
    {
        if (span is null)
        {
            return;
        }
        span.DisplayName = $"{span.OperationName} {plannedModel}";
        span.SetTag("gen_ai.request.model", request.Models[0]);
        span.SetTag("gen_ai.response.id", generationId);
        span.SetTag("switchboard.stream", request.Stream);
    }

    /// <summary>The end of the request span: who delivered, the usage priced, the status.</summary>
    public static void Ended(Activity? span, GenerationMeter meter, int status, int attempts)
    {
        if (span is null)
        {
            return;
        }
        if (meter.Route is { } route)
        {
            span.SetTag("gen_ai.response.model", route.Endpoint.Model.Id);
        }
        if (meter.Provider is { } provider)
        {
            span.SetTag("gen_ai.provider.name", provider.Info.Slug);
        }
        if (meter.Usage is { } usage)
        {
            span.SetTag("gen_ai.usage.input_tokens", usage.PromptTokens);
            span.SetTag("gen_ai.usage.output_tokens", usage.CompletionTokens);
            span.SetTag("switchboard.usage.estimated", meter.UsageEstimated);
        }
        if (meter.Text?.FinishReason is { } finish)
        {
            span.SetTag("gen_ai.response.finish_reasons", new[] { finish });
        }
        span.SetTag("switchboard.attempts", attempts);
        span.SetTag("http.response.status_code", status);
        if (status >= 400 && status != StatusCodes.Status499ClientClosedRequest)
        {
            span.SetTag("error.type", TelemetryLabels.StatusCode(status));
            span.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>The span of one call to an endpoint, or null when no tracer listens.</summary>
    public static Activity? StartAttempt(IngressDialect dialect, RouteAttempt route, ProviderRuntime provider, int number)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var endpoint = route.Endpoint;
        var operation = Operation(dialect);
        var span = Source.StartActivity($"{operation} {endpoint.UpstreamModel}", ActivityKind.Client);
        if (span is null)
        {
            return null;
        }
        span.SetTag("gen_ai.operation.name", operation);
        span.SetTag("gen_ai.provider.name", provider.Info.Slug);
        span.SetTag("gen_ai.request.model", endpoint.Model.Id);
        span.SetTag("switchboard.endpoint", endpoint.Tag);
        span.SetTag("switchboard.upstream_model", endpoint.UpstreamModel);
        span.SetTag("switchboard.attempt", number);
        span.SetTag("switchboard.byok", provider.IsByok);
        return span;
    }

    /// <summary>The end of an attempt's span: its outcome, and the usage if it was the one that delivered.</summary>
    public static void AttemptEnded(Activity? span, in AttemptOutcome outcome, GenerationMeter meter, RouteAttempt route)
    {
        if (span is null)
        {
            return;
        }
        var result = TelemetryLabels.Outcome(outcome);
        span.SetTag("switchboard.attempt.outcome", result);
        if (outcome.Failure is { } failure)
        {
            span.SetTag("error.type", result);
            if (failure.Status is { } upstreamStatus)
            {
                span.SetTag("http.response.status_code", upstreamStatus);
            }
            span.SetStatus(ActivityStatusCode.Error);
        }
        if (ReferenceEquals(meter.Route, route) && meter.Usage is { } usage)
        {
            span.SetTag("gen_ai.response.model", route.Endpoint.Model.Id);
            span.SetTag("gen_ai.usage.input_tokens", usage.PromptTokens);
            span.SetTag("gen_ai.usage.output_tokens", usage.CompletionTokens);
        }
        span.Dispose();
    }

    /// <summary>
    /// An attempt that threw instead of returning an outcome (a bug; expected failures are values): its span still
    /// ends, as an error named by the exception's type, rather than staying open as the flow's current activity.
    /// </summary>
    public static void AttemptThrew(Activity? span, Exception exception)
    {
        if (span is null)
        {
            return;
        }
        span.SetTag("error.type", exception.GetType().FullName);
        span.SetStatus(ActivityStatusCode.Error);
        span.Dispose();
    }

    /// <summary>GenAI's <c>gen_ai.operation.name</c>: <c>chat</c>, <c>text_completion</c> or <c>embeddings</c>.</summary>
    private static string Operation(IngressDialect dialect) => dialect switch
    {
        IngressDialect.Completions => "text_completion",
        IngressDialect.Embeddings => "embeddings",
        _ => "chat",
    };
}
