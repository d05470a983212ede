using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Switchboard.Chat;
using Switchboard.Keys;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Routing;

namespace Switchboard.Telemetry;

/// <summary>
/// The gateway's own instruments on one <see cref="Meter"/> (<c>Switchboard</c>), created once. Each fact is recorded
/// where the request path already knows it, as a few counter adds with a <see cref="TagList"/> on the stack: no LINQ,
/// no lock, no allocation per request. Label values come from bounded sets only — catalog model ids, provider slugs,
/// the API, status codes, fixed reasons — never from what a client typed (<see cref="TelemetryLabels"/>); account ids
/// only when the operator opts in, and then capped (<see cref="AccountLabels"/>). The gauges read live state at
/// collection time (<see cref="GatewayGauges"/>). See docs/observability.md.
/// </summary>
/// <remarks>
/// Money is decimal everywhere it is money (holds, charges, the ledger). A metric is observability, not accounting:
/// the charge is converted to <see cref="double"/> once, here, at the edge, and a sum of it may differ from the ledger
/// in the last digits.
/// </remarks>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Switchboard";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _rateLimited;
    private readonly AccountLabels _accounts;
    private readonly TimeProvider _time;

    public GatewayMetrics(IMeterFactory meters, AccountLabels accounts, TimeProvider time)
    {
        Meter = meters.Create(MeterName);
        _accounts = accounts;
        _time = time;
        _requests = Meter.CreateCounter<long>("switchboard.requests", "{request}",
            "Generation requests answered (chat, Messages, Responses, completions, embeddings), by API, model, provider and status.");
        _tokens = Meter.CreateCounter<long>("switchboard.tokens", "{token}",
            "Tokens of delivered generations, as priced: prompt, completion, and reasoning (a part of completion).");
        _cost = Meter.CreateCounter<double>("switchboard.cost", "usd",
            "What generations were charged in USD (the ledger's decimal amounts, converted for observability).");
        _duration = Meter.CreateHistogram<double>("switchboard.request.duration", "s",
            "Time from a generation request's arrival to its end, the last byte of a stream included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TelemetryLabels.DurationBuckets });
        _timeToFirstToken = Meter.CreateHistogram<double>("switchboard.time_to_first_token", "s",
            "Streams: time from the request's arrival to the first content sent to the client (fallbacks and queueing included).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TelemetryLabels.FirstTokenBuckets });
        _attempts = Meter.CreateCounter<long>("switchboard.upstream.attempts", "{attempt}",
            "Calls to provider endpoints, by provider, model and outcome (success or why it failed).");
        _fallbacks = Meter.CreateCounter<long>("switchboard.fallbacks", "{fallback}",
            "Times a generation moved on to its next endpoint, by why the one before failed and which it was.");
        _rateLimited = Meter.CreateCounter<long>("switchboard.rate_limit.refusals", "{request}",
            "Requests refused by a rate limit: key_requests (a key's requests a minute) or free_models (OpenRouter's :free limits).");
    }

    public Meter Meter { get; }

    /// <summary>
    /// One generation request ended (in the handler's last step). <paramref name="model"/> is a catalog id (the endpoint
    /// that delivered, else the plan's first), or null when the request never got as far as a route.
    /// </summary>
    public void GenerationEnded(IngressDialect dialect, string? model, GenerationMeter? meter, int status, bool stream, long arrived, CallerKey? key)
    {
        if (!_requests.Enabled && !_duration.Enabled)
        {
            return;
        }
        Record(dialect, model, meter, status, stream, arrived, key);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Record(IngressDialect dialect, string? model, GenerationMeter? meter, int status, bool stream, long arrived, CallerKey? key)
    {
        var now = _time.GetTimestamp();
        var modelLabel = model ?? TelemetryLabels.Unknown;
        var provider = meter?.Provider?.Info.Slug ?? TelemetryLabels.None;
        var account = key is null ? null : _accounts.For(key.AccountId);

        var tags = new TagList
        {
            { "api", TelemetryLabels.Api(dialect) },
            { "model", modelLabel },
            { "provider", provider },
            { "status_class", TelemetryLabels.StatusClass(status) },
            { "status_code", TelemetryLabels.StatusCode(status) },
        };
        if (account is not null)
        {
            tags.Add("account", account);
        }
        _requests.Add(1, tags);
        _duration.Record(_time.GetElapsedTime(arrived, now).TotalSeconds, tags);
        if (stream && meter is { FirstContentAt: not 0 } streamed)
        {
            var firstToken = new TagList { { "model", modelLabel }, { "provider", provider } };
            _timeToFirstToken.Record(_time.GetElapsedTime(arrived, streamed.FirstContentAt).TotalSeconds, firstToken);
        }
        if (meter is not { Priced: true, Usage: { } usage })
        {
            return;
        }
        var priced = new TagList { { "model", modelLabel }, { "provider", provider } };
        if (account is not null)
        {
            priced.Add("account", account);
        }
        var charge = meter.Charge.Charge;
        if (charge != 0m)
        {
            _cost.Add((double)charge, priced);
        }
        priced.Add("type", "prompt");
        _tokens.Add(usage.PromptTokens, priced);
        priced[priced.Count - 1] = new("type", "completion");
        _tokens.Add(usage.CompletionTokens, priced);
        if (usage.ReasoningTokens > 0)
        {
            priced[priced.Count - 1] = new("type", "reasoning");
            _tokens.Add(usage.ReasoningTokens, priced);
        }
    }

    /// <summary>One call to an endpoint ended; <see cref="TelemetryLabels.Outcome"/> says how.</summary>
    public void AttemptEnded(RouteAttempt route, ProviderRuntime provider, in AttemptOutcome outcome)
    {
        if (_attempts.Enabled)
        {
            _attempts.Add(1, new TagList
            {
                { "model", route.Endpoint.Model.Id },
                { "provider", provider.Info.Slug },
                { "outcome", TelemetryLabels.Outcome(outcome) },
            });
        }
    }

    /// <summary>The generation moves on from <paramref name="route"/>, which failed with <paramref name="failure"/>.</summary>
    public void FellBack(RouteAttempt route, ProviderRuntime provider, UpstreamFailure failure)
    {
        if (_fallbacks.Enabled)
        {
            _fallbacks.Add(1, new TagList
            {
                { "reason", TelemetryLabels.FailureReason(failure) },
                { "model", route.Endpoint.Model.Id },
                { "provider", provider.Info.Slug },
            });
        }
    }

    /// <param name="limit"><c>key_requests</c> or <c>free_models</c>.</param>
    public void RateLimited(string limit)
    {
        if (_rateLimited.Enabled)
        {
            _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));
        }
    }
}
