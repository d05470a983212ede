using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Configuration;
using Switchboard.Generations;
using Switchboard.Health;
using Switchboard.Infrastructure;
using Switchboard.Instances;
using Switchboard.Keys;
using Switchboard.Lifecycle;
using Switchboard.Providers;
using Switchboard.RateLimiting;
using Switchboard.Requests;
using Switchboard.Routing;
using Switchboard.Settings;
using Switchboard.Streaming;
using Switchboard.Telemetry;

namespace Switchboard.Chat;

/// <summary>
/// A generation from bytes in to bytes out, in any ingress dialect (<c>POST /chat/completions</c>, <c>/messages</c>).
/// Read top to bottom: the steps are numbered. Another dialect's request is translated to the internal form (a chat
/// request) in step 2; from there dialects differ only in how output is written (<see cref="IngressDialects"/>),
/// and in endpoints that speak the client's dialect natively (<see cref="IMessagesPassthrough"/>).
/// </summary>
internal sealed partial class ChatCompletionsHandler(
    RoutePlanner planner,
    ProviderRegistry providers,
    AccountProfiles profiles,
    EndpointHealthRegistry health,
    GenerationBilling billing,
    CostCalculator costs,
    FreeModelLimiter freeModels,
    KeyTokenLimiter tokenLimits,
    CreditLedger ledger,
    CreditBook book,
    LedgerJournal journal,
    InFlightRegistry inFlight,
    GenerationDrain drain,
    GatewayMetrics metrics,
    IOptions<SwitchboardOptions> options,
    TimeProvider time,
    ILogger<ChatCompletionsHandler> logger)
{
    private readonly SwitchboardOptions _options = options.Value;

    public Task HandleAsync(HttpContext context) => GenerateAsync(context, IngressDialect.ChatCompletions).AsTask();

    /// <summary>The pipeline's entry for <paramref name="dialect"/>, for its API's route.</summary>
    public RequestDelegate For(IngressDialect dialect) => context => GenerateAsync(context, dialect).AsTask();

    /// <remarks>
    /// Its state (every step's locals) is the largest object of a request; a pooled builder reuses it, and the
    /// <see cref="Task"/> the endpoint needs is a much smaller wrapper.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask GenerateAsync(HttpContext context, IngressDialect dialect)
    {
        var key = context.CallerKey();
        var arrived = time.GetTimestamp();
        var aborted = context.RequestAborted;
        if (drain.Draining)
        {
            await RefuseWhileStoppingAsync(context);
            return;
        }
        var account = await profiles.GetAsync(key.AccountId, aborted);
        using var span = GatewayTracing.StartRequest(dialect);

        // :: Step 1 — Read the body into one pooled buffer.
        using var body = await RequestBody.ReadAsync(context.Request, _options.MaxRequestBodyBytes, aborted);
        if (body is null)
        {
            await RefuseAsync(context, dialect, ApiError.BodyTooLarge(_options.MaxRequestBodyBytes), null, arrived, key);
            return;
        }

        // :: Step 2 — Find and validate what the gateway acts on (and measure what the prompt is made of); the rest
        // stays as bytes. Another dialect's request is first translated to the internal form, a chat request; its own
        // bytes stay at hand (for endpoints that speak it). The account's settings fill in a missing model and its data policy.
        if (!IngressDialects.TryTranslate(dialect, body.Memory, out var internalForm, out var untranslatable))
        {
            await RefuseAsync(context, dialect, untranslatable!, null, arrived, key);
            return;
        }
        using var translated = internalForm;
        if (!ChatRequestParser.TryParse(translated?.WrittenMemory ?? body.Memory, account.Defaults, out var request, out var invalid))
        {
            await RefuseAsync(context, dialect, invalid!, null, arrived, key);
            return;
        }
        IngressDialects.Attach(dialect, request!, body.Memory, context.Request);
        request!.Governance = key.Governance; // what the key may call, judged in step 3

        // :: Step 3 — Plan the route: models × endpoints, filtered and ordered. Providers the account has its own key
        // for are called with it. A model or provider the key may not use is refused here: nothing held, nothing recorded.
        var accountProviders = account.Providers(providers);
        if (!planner.TryPlan(request!, accountProviders, out var plan, out var unroutable))
        {
            await RefuseAsync(context, dialect, unroutable!, null, arrived, key);
            return;
        }

        // :: Step 4 — Name the generation. The id is in a header before any attempt, so even errors can be traced.
        // From here on the generation is settled and recorded exactly once, whatever happens (GenerationSettlement);
        // the journal must have room for it first, so that a stalled store turns requests away instead of filling memory.
        var createdAt = time.GetUtcNow();
        var created = createdAt.ToUnixTimeSeconds();
        var generationId = GenerationId.New(createdAt);
        context.Response.Headers["X-Generation-Id"] = generationId;
        // Metrics and spans name catalog models only: the endpoint that delivered, else the one planned first.
        var plannedModel = plan!.Count > 0 ? plan[0].Endpoint.Model.Id : TelemetryLabels.Unknown;
        GatewayTracing.Planned(span, request!, plannedModel, generationId);
        if (!await journal.AdmitAsync(_options.Billing.LeaseTimeout, time, aborted))
        {
            await RefuseAsync(context, dialect, JournalFull(), plannedModel, arrived, key);
            return;
        }
        var attempts = new GenerationAttempts(request!.Models[0]);
        var wantsMetadata = WantsRoutingMetadata(context.Request);
        var meter = new GenerationMeter(costs, request, key.IncludeByokInLimit) { Capture = account.StorePrompts ? new CompletionCapture() : null };
        var settlement = new GenerationSettlement(
            new GenerationRecordFactory.Context(generationId, key, request, attempts, context.Request, createdAt.UtcDateTime, arrived),
            meter, book, journal, inFlight, tokenLimits, _options.Billing, time, logger);
        var status = StatusCodes.Status200OK;
        string? failure = null;
        SseResponse? stream = null;
        try
        {
            // :: Step 5 — Limits, then credit: hold the worst case before anything is sent upstream.
            if (AnyFree(request.Models) && await freeModels.TryAcquireAsync(key, await ledger.TotalPurchasedAsync(key.AccountId, aborted), aborted) is { } limited)
            {
                metrics.RateLimited("free_models");
                (status, failure) = (limited.Status, limited.Message);
                await ApiErrorWriter.WriteAsync(context.Response, limited);
                return;
            }
            var (reservation, refusal) = await billing.ReserveAsync(key, generationId, request, plan!, accountProviders, aborted);
            if (refusal is not null)
            {
                (status, failure) = (refusal.Status, refusal.Message);
                await ApiErrorWriter.WriteAsync(context.Response, refusal);
                return;
            }
            meter.Hold = reservation!.Hold;
            settlement.Reservation = reservation;
            settlement.Slot = inFlight.Start(generationId, key.AccountId, key.Id, request.Models[0], request.Stream,
                IngressDialects.RecordedApi(dialect));

            // :: Step 6 — Try each endpoint in turn until one delivers. Streams share one client writer across attempts,
            // so keep-alive comments flow while we wait and fallback stays possible until the first data event.
            if (request.Stream)
            {
                stream = new SseResponse(context.Response, _options.Streaming.KeepAliveInterval, time);
                stream.Chunks.Capture = meter.Capture;
                IngressDialects.Speak(dialect, stream.Chunks, request.ClientBody, time);
                stream.StartKeepAlive();
            }
            // Endpoints in plan order; one deferred for its health is called anyway when nothing else could be (EndpointWalk).
            var walk = new EndpointWalk(plan!, accountProviders, health, attempts, drain.Deadline);
            var attemptNumber = 0;
            (RouteAttempt Route, ProviderRuntime Provider, UpstreamFailure Failure)? fellFrom = null;
            while (walk.TryNext(out var route, out var provider, out var endpointHealth, out var probe))
            {
                if (fellFrom is { } previous)
                {
                    // Counted here, not when the attempt failed: only a failure that another endpoint takes over is a fallback.
                    metrics.FellBack(previous.Route, previous.Provider, previous.Failure);
                }
                var identity = new ResponseIdentity(generationId, route.PublicModel, provider.DisplayName, created);
                var attempt = new AttemptContext(context, request, route, provider, endpointHealth, identity, attempts, meter, settlement, wantsMetadata, drain.Deadline);
                var attemptStarted = time.GetTimestamp();
                var attemptSpan = GatewayTracing.StartAttempt(dialect, route, provider, ++attemptNumber);
                AttemptOutcome outcome;
                try
                {
                    outcome = stream is null
                        ? await NonStreamingAttempt.RunAsync(attempt, _options.Timeouts.NonStreamingResponse, time)
                        : await StreamingAttempt.RunAsync(attempt, stream, _options.Timeouts, time);
                    if (outcome.Failure is { } attemptFailure
                        && attemptFailure.CountsAgainstEndpoint && !(provider.IsAccountKey && attemptFailure.RefusesCredential))
                    {
                        // An account's own key being refused says nothing about the endpoint for everyone else.
                        health.RecordFailure(route.Endpoint, attemptFailure.IsRateLimit);
                    }
                }
                catch (Exception exception)
                {
                    GatewayTracing.AttemptThrew(attemptSpan, exception);
                    throw;
                }
                finally
                {
                    // Whatever happened (no verdict, the client left, a bug threw), a probe never stays taken.
                    endpointHealth.ReleaseProbe(probe);
                }
                metrics.AttemptEnded(route, provider, outcome);
                GatewayTracing.AttemptEnded(attemptSpan, outcome, meter, route);
                fellFrom = outcome is { Result: AttemptResult.Failed, Failure: { } fallible } ? (route, provider, fallible) : null;

                if (outcome.Result == AttemptResult.ClientGone)
                {
                    if (!meter.Priced)
                    {
                        attempts.Cancelled(route, provider, time.GetElapsedTime(attemptStarted));
                    }
                    meter.Cancelled = true;
                    status = StatusCodes.Status499ClientClosedRequest;
                    Log.ClientDisconnected(logger, generationId, provider.Info.Slug);
                    return;
                }
                if (outcome.Failure is { } failed)
                {
                    attempts.Failed(route, provider, failed, time.GetElapsedTime(attemptStarted));
                    failure = failed.Message;
                    Log.AttemptFailed(logger, generationId, provider.Info.Slug, route.Endpoint.Model.Id, UpstreamErrors.Describe(failed));
                    if (outcome.Result == AttemptResult.Failed && !failed.AllowsFallback)
                    {
                        break;
                    }
                }
                if (outcome.Result == AttemptResult.Delivered)
                {
                    return;
                }
            }
            walk.RecordDeferred();

            // :: Step 7 — Nothing delivered: report the last real failure, or why nothing could be tried.
            var error = FinalError(request, attempts);
            (status, failure) = (error.Status, error.Message);
            Log.GenerationFailed(logger, generationId, error.Status, attempts.All.Count);
            await WriteErrorAsync(context, stream, error, new ResponseIdentity(generationId, request.Models[0], attempts.LastCalledFailure?.Provider ?? "", created));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left while the gateway waited on its own work (the store, a lease, the journal).
            (status, failure) = (StatusCodes.Status499ClientClosedRequest, null);
            meter.Cancelled = true;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            // :: Step 8 — Settle whatever happened (client gone, a bug thrown above): money is never left held, and
            // the record is written (a completed response was settled before its last bytes; this does nothing then).
            settlement.Close(status, failure);
            metrics.GenerationEnded(dialect, meter.Route?.Endpoint.Model.Id ?? plannedModel, meter, status, request.Stream, arrived, key);
            GatewayTracing.Ended(span, meter, status, attempts.All.Count);
        }
    }

    /// <summary>A request refused before it became a generation: the error, counted.</summary>
    private Task RefuseAsync(HttpContext context, IngressDialect dialect, ApiError error, string? model, long arrived, CallerKey key)
    {
        metrics.GenerationEnded(dialect, model, meter: null, error.Status, stream: false, arrived, key);
        return ApiErrorWriter.WriteAsync(context.Response, error);
    }

    internal static bool AnyFree(IReadOnlyList<string> models)
    {
        for (var i = 0; i < models.Count; i++) // no LINQ: this runs on every request
        {
            if (RequestedModel.IsFree(models[i]))
            {
                return true;
            }
        }
        return false;
    }

    internal static ApiError FinalError(ChatRequest request, GenerationAttempts attempts)
    {
        if (attempts.LastCalledFailure is { } last)
        {
            return UpstreamErrors.ToApiError(last.Failure, last.Provider, attempts.All);
        }
        if (attempts.MissingSettings.Count > 0)
        {
            var settings = string.Join(" or ", attempts.MissingSettings);
            return new ApiError(StatusCodes.Status503ServiceUnavailable,
                $"No configured provider can serve {string.Join(", ", request.Models)}: set {settings}, or start Switchboard with --demo to use the built-in simulator.",
                new ErrorMetadata { ErrorType = "provider_not_configured", MissingSettings = attempts.MissingSettings, Attempts = attempts.All });
        }
        return new ApiError(StatusCodes.Status503ServiceUnavailable,
            $"Every provider of {string.Join(", ", request.Models)} is paused after repeated failures. Retry shortly.",
            new ErrorMetadata { ErrorType = "provider_unavailable", Attempts = attempts.All })
        { RetryAfterSeconds = 5 };
    }

    private static async Task WriteErrorAsync(HttpContext context, SseResponse? stream, ApiError error, ResponseIdentity identity)
    {
        if (stream is null)
        {
            await ApiErrorWriter.WriteAsync(context.Response, error);
            return;
        }
        using (await stream.LockAsync())
        {
            if (!stream.HasStarted)
            {
                // Only keep-alive headers may have been set; a proper HTTP error can still be sent.
                context.Response.Headers.CacheControl = default;
                await ApiErrorWriter.WriteAsync(context.Response, error);
                return;
            }
            StreamChunks.WriteError(stream.Chunks, identity, error);
            await stream.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary>A request that arrives on an open connection after the stop signal: another replica should take it.</summary>
    internal static Task RefuseWhileStoppingAsync(HttpContext context)
    {
        context.Response.Headers.Connection = "close";
        return ApiErrorWriter.WriteAsync(context.Response, new ApiError(StatusCodes.Status503ServiceUnavailable,
            "This gateway instance is shutting down; retry the request.", new ErrorMetadata { ErrorType = "shutting_down" })
        { RetryAfterSeconds = 1 });
    }

    internal static ApiError JournalFull() => new(StatusCodes.Status503ServiceUnavailable,
        "The gateway's database is not keeping up with the requests it has served; retry shortly.",
        new ErrorMetadata { ErrorType = "store_unavailable" })
    { RetryAfterSeconds = 1 };

    private static bool WantsRoutingMetadata(HttpRequest request) =>
        string.Equals(request.Headers["X-OpenRouter-Metadata"], "enabled", StringComparison.OrdinalIgnoreCase)
        || string.Equals(request.Headers["X-OpenRouter-Experimental-Metadata"], "enabled", StringComparison.OrdinalIgnoreCase);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Generation {GenerationId}: attempt on {Provider} for {Model} failed ({Outcome}).")]
        public static partial void AttemptFailed(ILogger logger, string generationId, string provider, string model, string outcome);

        [LoggerMessage(2, LogLevel.Warning, "Generation {GenerationId} failed with {Status} after {Attempts} attempt(s).")]
        public static partial void GenerationFailed(ILogger logger, string generationId, int status, int attempts);

        [LoggerMessage(3, LogLevel.Debug, "Generation {GenerationId}: client disconnected; request to {Provider} cancelled.")]
        public static partial void ClientDisconnected(ILogger logger, string generationId, string provider);
    }
}
