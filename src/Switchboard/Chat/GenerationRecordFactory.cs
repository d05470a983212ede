using System.Text;
using Switchboard.Api;
using Switchboard.Generations;
using Switchboard.Infrastructure;
using Switchboard.Keys;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Chat;

/// <summary>
/// Turns what the handler learned about one request into its <see cref="GenerationRecord"/>, which holds no prompt or
/// completion text; and, for accounts that store them, into its <see cref="GenerationContent"/>.
/// </summary>
internal static class GenerationRecordFactory
{
    private const int MaxHeaderLength = 1000;

    /// <summary>What a record says about the request itself, known before any attempt.</summary>
    /// <param name="Arrived">When the request arrived (a <see cref="TimeProvider"/> timestamp).</param>
    public sealed record Context(string GenerationId, CallerKey Key, ChatRequest Request, GenerationAttempts Attempts, HttpRequest Http, DateTime CreatedAt, long Arrived);

    public static GenerationContent Content(Context context, CompletionCapture completion) => new()
    {
        GenerationId = context.GenerationId,
        AccountId = context.Key.AccountId,
        CreatedAt = context.CreatedAt,
        // What the client sent: for another dialect its own body, not the chat request it was translated to.
        Prompt = Encoding.UTF8.GetString((context.Request.Dialect == IngressDialect.ChatCompletions ? context.Request.Body : context.Request.ClientBody).Span),
        Completion = completion.ToString(),
    };

    public static GenerationRecord Create(Context context, GenerationMeter meter, int status, string? error, TimeProvider time)
    {
        var (id, key, request, attempts, http, createdAt, startedTimestamp) = context;
        var now = time.GetTimestamp();
        var usage = meter.Usage;
        int? timeToFirstToken = meter.FirstContentAt == 0 ? null : Milliseconds(time.GetElapsedTime(startedTimestamp, meter.FirstContentAt));
        int? generationTime = meter.FirstContentAt == 0 ? null : Milliseconds(time.GetElapsedTime(meter.FirstContentAt, now));
        return new GenerationRecord
        {
            Id = id,
            AccountId = key.AccountId,
            ApiKeyId = key.Id,
            CreatedAt = createdAt,
            Day = DateOnly.FromDateTime(createdAt),
            RequestedModel = request.Models[0],
            Api = IngressDialects.RecordedApi(request.Dialect),
            Model = meter.Route?.PublicModel ?? request.Models[0],
            ProviderName = meter.Provider?.DisplayName,
            ProviderSlug = meter.Provider?.Info.Slug,
            Attempts = AttemptsJson(attempts.All),
            Status = status,
            ErrorMessage = Truncate(error),
            TokensPrompt = usage?.PromptTokens ?? 0,
            TokensCompletion = usage?.CompletionTokens ?? 0,
            TokensReasoning = usage?.ReasoningTokens ?? 0,
            TokensCached = usage?.CachedTokens ?? 0,
            TokensCacheWrite = usage?.CacheWriteTokens ?? 0,
            TokensEstimated = meter.UsageEstimated,
            Cost = meter.Charge.Charge,
            UpstreamCost = meter.Cost.IsByok ? meter.Cost.ListPrice : null,
            IsByok = meter.Cost.IsByok,
            LatencyMs = Milliseconds(time.GetElapsedTime(startedTimestamp, now)),
            TimeToFirstTokenMs = timeToFirstToken,
            GenerationTimeMs = generationTime,
            Throughput = generationTime is > 0 && usage is { CompletionTokens: > 0 } ? Math.Round(usage.CompletionTokens * 1000.0 / generationTime.Value, 2) : null,
            FinishReason = meter.Text?.FinishReason,
            NativeFinishReason = meter.Text?.NativeFinishReason,
            Streamed = request.Stream,
            Cancelled = meter.Cancelled,
            HttpReferer = Truncate(Header(http, "HTTP-Referer") ?? Header(http, "Referer")),
            AppTitle = Truncate(Header(http, "X-OpenRouter-Title") ?? Header(http, "X-Title")),
            User = Truncate(request.User),
        };
    }

    /// <summary>
    /// The attempts as <see cref="GenerationView"/> reads them back (the API's snake_case, nulls left out), written by
    /// hand: the serializer's per-call frames were the largest allocation of a request's record.
    /// </summary>
    internal static string AttemptsJson(IReadOnlyList<AttemptSummary> attempts)
    {
        var json = ThreadJsonWriter.Start(out var buffer);
        json.WriteStartArray();
        foreach (var attempt in attempts)
        {
            json.WriteStartObject();
            json.WriteString("provider"u8, attempt.Provider);
            json.WriteString("model"u8, attempt.Model);
            if (attempt.Status is { } status)
            {
                json.WriteNumber("status"u8, status);
            }
            json.WriteString("outcome"u8, attempt.Outcome);
            if (attempt.Message is { } message)
            {
                json.WriteString("message"u8, message);
            }
            if (attempt.LatencyMs is { } latency)
            {
                json.WriteNumber("latency_ms"u8, latency);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? Header(HttpRequest http, string name) =>
        http.Headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString() : null;

    private static string? Truncate(string? value) => value is { Length: > MaxHeaderLength } ? value[..MaxHeaderLength] : value;

    private static int Milliseconds(TimeSpan elapsed) => (int)Math.Clamp(elapsed.TotalMilliseconds, 0, int.MaxValue);
}
