using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Infrastructure;

namespace Switchboard.Generations;

/// <summary>
/// <c>GET /generation</c>'s <c>data</c>, with OpenRouter's field names. Token counts are the provider's
/// (<c>native_*</c>); <c>tokens_estimated</c> says when the gateway had to estimate them.
/// </summary>
/// <remarks>
/// Every field OpenRouter's SDK requires is written, null when unknown rather than left out; those Switchboard has no
/// notion of (apps, presets, workspaces, moderation, web search, media counts, the upstream's own id)
/// are always null, <c>router</c> is <c>openrouter/auto</c> when that chose the model, and <c>data_region</c> is <c>global</c>, OpenRouter's unrestricted region.
/// </remarks>
internal sealed record GenerationView(
    string Id,
    DateTime CreatedAt,
    string Model,
    string RequestedModel,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ProviderName,
    decimal TotalCost,
    decimal Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? UpstreamInferenceCost,
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? GenerationTime,
    double? Throughput,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NativeFinishReason,
    bool Streamed,
    bool Cancelled,
    int Status,
    string? Error,
    string Origin,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? HttpReferer,
    string? AppTitle,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ExternalUser,
    string ApiType,
    string Api,
    IReadOnlyList<ProviderResponseView> ProviderResponses)
{
    public string DataRegion { get; init; } = "global";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? AppId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public decimal? CacheDiscount { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? ModerationLatency { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? NativeTokensCompletionImages { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? NumFetches { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? NumInputAudioPrompt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? NumMediaCompletion { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? NumMediaPrompt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? NumSearchResults { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? PresetId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Router { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ServiceTier { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? UpstreamId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? UserAgent { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? WebSearchEngine { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? WorkspaceId { get; init; }

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
            record.HttpReferer ?? "", record.HttpReferer, record.AppTitle, record.User,
            record.Api == GenerationApi.Embeddings ? "embeddings" : "completions", record.Api,
            [.. attempts.Select(ProviderResponseView.From)])
        {
            // OpenRouter's `router`: the generation's model was chosen by openrouter/auto.
            Router = Routing.AutoRouter.Requests(record.RequestedModel) ? Routing.AutoRouter.Id : null,
        };
    }
}

/// <summary>One attempt, as OpenRouter lists them in <c>provider_responses</c> (<c>status</c> is null when no HTTP status came back).</summary>
internal sealed record ProviderResponseView(
    string ProviderName, string Model, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Status, string Outcome, int? Latency)
{
    public static ProviderResponseView From(AttemptSummary attempt) =>
        new(attempt.Provider, attempt.Model, attempt.Status, attempt.Outcome, attempt.LatencyMs);
}

internal sealed record GenerationEnvelope(GenerationView Data);
