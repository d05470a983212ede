using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Generations;
using Switchboard.Health;
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

namespace Switchboard.Embeddings;

/// <summary>
/// <c>POST /embeddings</c> from bytes in to bytes out, through the same steps as a chat generation
/// (<see cref="ChatCompletionsHandler"/>) and the same parts: the route planner, the journal's admission, the free-model
/// limiter, the credit hold (<see cref="GenerationBilling.ReserveInputsAsync"/>), fallback across endpoints with
/// health and circuits, and one settlement (<see cref="GenerationSettlement"/>) that charges <c>min(cost, hold)</c> and
/// writes the record. What differs is the request (inputs, not messages), the hold (input only) and the attempt
/// (<see cref="EmbeddingsAttempt"/>), which adapters serve through <see cref="IEmbeddingsProvider"/>.
/// </summary>
internal sealed partial class EmbeddingsHandler(
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
    PromptTokenCounter tokens,
    GatewayMetrics metrics,
    IOptions<SwitchboardOptions> options,
    TimeProvider time,
    ILogger<EmbeddingsHandler> logger)
{
    private readonly SwitchboardOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        var key = context.CallerKey();
        var arrived = time.GetTimestamp();
        var aborted = context.RequestAborted;
        if (drain.Draining)
        {
            await ChatCompletionsHandler.RefuseWhileStoppingAsync(context);
            return;
        }
        var account = await profiles.GetAsync(key.AccountId, aborted);
        using var span = GatewayTracing.StartRequest(IngressDialect.Embeddings);

        // :: Step 1 — Read the body into one pooled buffer.
        using var body = await RequestBody.ReadAsync(context.Request, _options.MaxRequestBodyBytes, aborted);
        if (body is null)
        {
            await RefuseAsync(context, ApiError.BodyTooLarge(_options.MaxRequestBodyBytes), null, arrived, key);
            return;
        }

        // :: Step 2 — Find and validate what the gateway acts on; the inputs stay ranges of the body.
        if (!EmbeddingsRequestParser.TryParse(body.Memory, account.Defaults, out var request, out var invalid))
        {
            await RefuseAsync(context, invalid!, null, arrived, key);
            return;
        }

        // :: Step 3 — Plan the route (embedding models only), then keep the endpoints whose protocol can embed this
        // request: Gemini takes no token ids, for one.
        var accountProviders = account.Providers(providers);
        request!.Routing.Governance = key.Governance;
        if (!planner.TryPlan(request.Routing, accountProviders, out var planned, out var unroutable))
        {
            await RefuseAsync(context, unroutable!, null, arrived, key);
            return;
        }
        var plan = Embeddable(request, planned, accountProviders, out var unsupported);
        if (plan.Count == 0)
        {
            await RefuseAsync(context, ApiError.BadRequest(unsupported!, "input"), null, arrived, key);
            return;
        }
        var plannedModel = plan[0].Endpoint.Model.Id;

        // :: Step 4 — Name the generation and get room in the journal for its record.
        var createdAt = time.GetUtcNow();
        var generationId = GenerationId.New(createdAt);
        context.Response.Headers["X-Generation-Id"] = generationId;
        GatewayTracing.Planned(span, request.Routing, plannedModel, generationId);
        if (!await journal.AdmitAsync(_options.Billing.LeaseTimeout, time, aborted))
        {
            await RefuseAsync(context, ChatCompletionsHandler.JournalFull(), plannedModel, arrived, key);
            return;
        }
        var attempts = new GenerationAttempts(request.Models[0]);
        // An account that stores prompts keeps the request; the vectors are not a completion worth storing.
        var meter = new GenerationMeter(costs, request.Routing, key.IncludeByokInLimit) { Capture = account.StorePrompts ? new CompletionCapture() : null };
        var settlement = new GenerationSettlement(
            new GenerationRecordFactory.Context(generationId, key, request.Routing, attempts, context.Request, createdAt.UtcDateTime, arrived),
            meter, book, journal, inFlight, tokenLimits, _options.Billing, time, logger);
        var status = StatusCodes.Status200OK;
        string? failure = null;
        try
        {
            // :: Step 5 — Limits, then credit: hold the most the inputs can cost before anything is sent upstream.
            if (ChatCompletionsHandler.AnyFree(request.Models) && await freeModels.TryAcquireAsync(key, await ledger.TotalPurchasedAsync(key.AccountId, aborted), aborted) is { } limited)
            {
                metrics.RateLimited("free_models");
                (status, failure) = (limited.Status, limited.Message);
                await ApiErrorWriter.WriteAsync(context.Response, limited);
                return;
            }
            var (reservation, refusal) = await billing.ReserveInputsAsync(key, generationId, InputBounds(request), plan, accountProviders, aborted);
            if (refusal is not null)
            {
                (status, failure) = (refusal.Status, refusal.Message);
                await ApiErrorWriter.WriteAsync(context.Response, refusal);
                return;
            }
            meter.Hold = reservation!.Hold;
            settlement.Reservation = reservation;
            settlement.Slot = inFlight.Start(generationId, key.AccountId, key.Id, request.Models[0], streamed: false, GenerationApi.Embeddings);

            // :: Step 6 — Try each endpoint in turn until one delivers, in the order a chat generation does (EndpointWalk).
            var walk = new EndpointWalk(plan, accountProviders, health, attempts, drain.Deadline);
            var attemptNumber = 0;
            (RouteAttempt Route, ProviderRuntime Provider, UpstreamFailure Failure)? fellFrom = null;
            while (walk.TryNext(out var route, out var provider, out var endpointHealth, out var probe))
            {
                if (fellFrom is { } previous)
                {
                    metrics.FellBack(previous.Route, previous.Provider, previous.Failure);
                }
                var identity = new ResponseIdentity(generationId, route.PublicModel, provider.DisplayName, createdAt.ToUnixTimeSeconds());
                var attempt = new AttemptContext(context, request.Routing, route, provider, endpointHealth, identity, attempts, meter, settlement, false, drain.Deadline);
                var attemptStarted = time.GetTimestamp();
                var attemptSpan = GatewayTracing.StartAttempt(IngressDialect.Embeddings, route, provider, ++attemptNumber);
                AttemptOutcome outcome;
                try
                {
                    outcome = await EmbeddingsAttempt.RunAsync(attempt, request, (IEmbeddingsProvider)provider.Adapter, tokens, _options.Timeouts.NonStreamingResponse, time);
                    if (outcome.Failure is { } attemptFailure
                        && attemptFailure.CountsAgainstEndpoint && !(provider.IsAccountKey && attemptFailure.RefusesCredential))
                    {
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
                    endpointHealth.ReleaseProbe(probe);
                }
                metrics.AttemptEnded(route, provider, outcome);
                GatewayTracing.AttemptEnded(attemptSpan, outcome, meter, route);
                fellFrom = outcome is { Result: AttemptResult.Failed, Failure: { } fallible } ? (route, provider, fallible) : null;

                if (outcome.Result == AttemptResult.ClientGone)
                {
                    // Nothing is charged unless the provider's whole answer was in and priced first.
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
                    if (!failed.AllowsFallback)
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
            var error = ChatCompletionsHandler.FinalError(request.Routing, attempts);
            (status, failure) = (error.Status, error.Message);
            Log.EmbeddingFailed(logger, generationId, error.Status, attempts.All.Count);
            await ApiErrorWriter.WriteAsync(context.Response, error);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            (status, failure) = (StatusCodes.Status499ClientClosedRequest, null);
            meter.Cancelled = true;
        }
        finally
        {
            // :: Step 8 — Settle whatever happened; a delivered answer was settled before its bytes (this does nothing then).
            settlement.Close(status, failure);
            metrics.GenerationEnded(IngressDialect.Embeddings, meter.Route?.Endpoint.Model.Id ?? plannedModel, meter, status, stream: false, arrived, key);
            GatewayTracing.Ended(span, meter, status, attempts.All.Count);
        }
    }

    /// <summary>A request refused before it became a generation: the error, counted.</summary>
    private Task RefuseAsync(HttpContext context, ApiError error, string? model, long arrived, CallerKey key)
    {
        metrics.GenerationEnded(IngressDialect.Embeddings, model, meter: null, error.Status, stream: false, arrived, key);
        return ApiErrorWriter.WriteAsync(context.Response, error);
    }

    /// <summary>The planned endpoints whose adapter can embed <paramref name="request"/>; the first reason one cannot, when none can.</summary>
    private static List<RouteAttempt> Embeddable(EmbeddingsRequest request, List<RouteAttempt> plan, ProviderSet providers, out string? unsupported)
    {
        unsupported = null;
        var kept = new List<RouteAttempt>(plan.Count);
        foreach (var route in plan)
        {
            var adapter = providers[route.Endpoint.Provider].Adapter;
            var reason = adapter is IEmbeddingsProvider embedder
                ? embedder.Unsupported(request)
                : $"{route.Endpoint.Provider.Name}'s API has no embeddings.";
            if (reason is null)
            {
                kept.Add(route);
            }
            else
            {
                unsupported ??= reason;
            }
        }
        return kept;
    }

    private static long[] InputBounds(EmbeddingsRequest request)
    {
        var bounds = new long[request.Inputs.Count];
        for (var i = 0; i < bounds.Length; i++)
        {
            bounds[i] = request.Inputs[i].Bound;
        }
        return bounds;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Embeddings {GenerationId}: attempt on {Provider} for {Model} failed ({Outcome}).")]
        public static partial void AttemptFailed(ILogger logger, string generationId, string provider, string model, string outcome);

        [LoggerMessage(2, LogLevel.Warning, "Embeddings {GenerationId} failed with {Status} after {Attempts} attempt(s).")]
        public static partial void EmbeddingFailed(ILogger logger, string generationId, int status, int attempts);

        [LoggerMessage(3, LogLevel.Debug, "Embeddings {GenerationId}: client disconnected; request to {Provider} cancelled.")]
        public static partial void ClientDisconnected(ILogger logger, string generationId, string provider);
    }
}
