using System.Text.Json;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Infrastructure;

namespace Switchboard.Generations;

/// <summary>
/// <c>GET /generation</c>'s <c>data</c>, with OpenRouter's field names. Token counts are the provider's
/// (<c>native_*</c>); <c>tokens_estimated</c> says when the gateway had to estimate them.
/// </summary>
internal sealed record GenerationView(
    string Id,
    DateTime CreatedAt,
    string Model,
    string RequestedModel,
    string? ProviderName,
    decimal TotalCost,
    decimal Usage,
    decimal? UpstreamInferenceCost,
    bool IsByok,
    int TokensPrompt,
    int TokensCompletion,
    int NativeTokensPrompt,
    int NativeTokensCompletion,
    int NativeTokensReasoning,
    int NativeTokensCached,
    int NativeTokensCacheWrite,
    bool TokensEstimated,
    int Latency,
    int? TimeToFirstToken,
    int? GenerationTime,
    double? Throughput,
    string? FinishReason,
    string? NativeFinishReason,
    bool Streamed,
    bool Cancelled,
    int Status,
    string? Error,
    string? Origin,
    string? HttpReferer,
    string? AppTitle,
    string? ExternalUser,
    string ApiType,
    string Api,
    IReadOnlyList<ProviderResponseView> ProviderResponses)
{
    public static GenerationView From(GenerationRecord record)
    {
        var attempts = JsonSerializer.Deserialize(record.Attempts, SwitchboardJsonContext.Api.IReadOnlyListAttemptSummary) ?? [];
        var cost = Money.Normalize(record.Cost);
        return new GenerationView(
            record.Id, record.CreatedAt, record.Model, record.RequestedModel, record.ProviderName,
            cost, cost, record.UpstreamCost is { } upstream ? Money.Normalize(upstream) : null, record.IsByok,
            record.TokensPrompt, record.TokensCompletion, record.TokensPrompt, record.TokensCompletion,
            record.TokensReasoning, record.TokensCached, record.TokensCacheWrite, record.TokensEstimated,
            record.LatencyMs, record.TimeToFirstTokenMs, record.GenerationTimeMs, record.Throughput,
            record.FinishReason, record.NativeFinishReason, record.Streamed, record.Cancelled, record.Status, record.ErrorMessage,
            record.HttpReferer, record.HttpReferer, record.AppTitle, record.User,
            record.Api == GenerationApi.Embeddings ? "embeddings" : "completions", record.Api,
            [.. attempts.Select(ProviderResponseView.From)]);
    }
}

/// <summary>One attempt, as OpenRouter lists them in <c>provider_responses</c>.</summary>
internal sealed record ProviderResponseView(string ProviderName, string Model, int? Status, string Outcome, int? Latency)
{
    public static ProviderResponseView From(AttemptSummary attempt) =>
        new(attempt.Provider, attempt.Model, attempt.Status, attempt.Outcome, attempt.LatencyMs);
}

internal sealed record GenerationEnvelope(GenerationView Data);
