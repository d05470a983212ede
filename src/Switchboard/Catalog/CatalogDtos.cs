using System.Text.Json.Serialization;

namespace Switchboard.Catalog;

// OpenRouter's catalog schema (GET /models, /models/user, /model/{author}/{slug}, /models/{author}/{slug}/endpoints,
// /providers), as its SDK validates it. Fields OpenRouter sends as explicit nulls are kept as nulls, since typed
// clients expect them to exist; fields the catalog does not know carry OpenRouter's empty value.

/// <summary>The whole list in one page: <c>total_count</c> is its length and <c>links.next</c> is null.</summary>
internal sealed record ModelList(IReadOnlyList<ModelDto> Data, int TotalCount, ModelListLinks Links);

internal sealed record ModelListLinks([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>One model, <c>GET /model/{author}/{slug}</c>.</summary>
internal sealed record ModelResponse(ModelDto Data);

internal sealed record ModelCount(ModelCountData Data);

internal sealed record ModelCountData(int Count);

internal sealed record ModelDto(
    string Id,
    string CanonicalSlug,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? HuggingFaceId,
    string Name,
    long Created,
    string Description,
    int ContextLength,
    ArchitectureDto Architecture,
    PricingDto Pricing,
    TopProviderDto TopProvider,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? PerRequestLimits,
    IReadOnlyList<string> SupportedParameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? KnowledgeCutoff,
    ModelLinksDto Links,
    DefaultParametersDto DefaultParameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<string>? SupportedVoices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ExpirationDate)
{
    // Switchboard's additions, absent when empty: the names that also resolve to this model, the deprecation
    // notice of a model still served, where the entry's facts come from, and whether it was found by discovery
    // (listed by its provider's GET /models, not in the catalog).
    public IReadOnlyList<string>? Aliases { get; init; }
    public DeprecationDto? Deprecation { get; init; }
    public SourceDto? Source { get; init; }
    public bool? Discovered { get; init; }
}

internal sealed record DeprecationDto(string Note, string? Announced, string? RetiresOn, string? Successor);

internal sealed record SourceDto(string Name, string Url, string Retrieved);

/// <summary><c>GET /models/retired</c>: models no longer served, each with the model to use instead.</summary>
internal sealed record RetiredModelList(IReadOnlyList<RetiredModelDto> Data);

internal sealed record RetiredModelDto(string Id, string RetiredOn, string Successor, string? Note);

/// <summary>A long-context tier: above <c>above_prompt_tokens</c> the whole request is priced at these per-token figures.</summary>
internal sealed record PriceTierDto(long AbovePromptTokens, string Prompt, string Completion, string? InputCacheRead, string? InputCacheWrite);

/// <summary>
/// The provider's default sampling parameters. The catalog records none, so this is OpenRouter's empty value,
/// <c>{}</c> (every field of its schema is optional).
/// </summary>
internal sealed record DefaultParametersDto;

internal sealed record ArchitectureDto(
    string Modality,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    string Tokenizer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? InstructType);

/// <summary>USD per token (per request for <c>request</c>) as decimal strings, as OpenRouter publishes them.</summary>
internal sealed record PricingDto(
    string Prompt,
    string Completion,
    string Request,
    string Image,
    string WebSearch,
    string InternalReasoning,
    string? InputCacheRead,
    string? InputCacheWrite)
{
    public string? ImageOutput { get; init; }

    /// <summary>Switchboard's addition: long-context tiers, absent when the price does not depend on prompt length.</summary>
    public IReadOnlyList<PriceTierDto>? Tiers { get; init; }
}

internal sealed record TopProviderDto(
    int ContextLength,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? MaxCompletionTokens,
    bool IsModerated);

internal sealed record ModelLinksDto(string Details);

internal sealed record ModelEndpointsResponse(ModelEndpointsDto Data);

internal sealed record ModelEndpointsDto(
    string Id,
    string Name,
    long Created,
    string Description,
    ArchitectureDto Architecture,
    IReadOnlyList<EndpointDto> Endpoints);

/// <summary>
/// One endpoint with its live figures. <c>status</c>: 0 healthy, -1 failed recently, -2 paused after repeated
/// failures (circuit open), -3 not configured (no credential). Percentages and percentiles are null until there is traffic.
/// </summary>
internal sealed record EndpointDto(
    string Name,
    string ModelId,
    string ModelName,
    int ContextLength,
    PricingDto Pricing,
    string ProviderName,
    string Tag,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Quantization,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? MaxCompletionTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? MaxPromptTokens,
    IReadOnlyList<string> SupportedParameters,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonPropertyName("uptime_last_5m")] double? UptimeLast5m,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonPropertyName("uptime_last_30m")] double? UptimeLast30m,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonPropertyName("uptime_last_1h")] double? UptimeLast1h,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonPropertyName("uptime_last_1d")] double? UptimeLast1d,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonPropertyName("latency_last_30m")] Health.Percentiles? LatencyLast30m,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonPropertyName("throughput_last_30m")] Health.Percentiles? ThroughputLast30m,
    bool SupportsImplicitCaching,
    ToolChoiceSupportDto SupportsToolChoice)
{
    /// <summary>Switchboard's addition: what the provider does with prompts sent here, when the catalog records it.</summary>
    public DataPolicyDto? DataPolicy { get; init; }
}

internal sealed record DataPolicyDto(bool Training, bool RetainsPrompts, int? RetentionDays);

/// <summary>Which <c>tool_choice</c> values the endpoint honours: all of them when it lists <c>tool_choice</c>, none otherwise.</summary>
internal sealed record ToolChoiceSupportDto(bool Auto, bool Function, bool None, bool Required)
{
    public static readonly ToolChoiceSupportDto All = new(true, true, true, true);
    public static readonly ToolChoiceSupportDto Nothing = new(false, false, false, false);
}

internal sealed record ProviderList(IReadOnlyList<ProviderDto> Data);

internal sealed record ProviderDto(
    string Name,
    string Slug,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PrivacyPolicyUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TermsOfServiceUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StatusPageUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Headquarters,
    IReadOnlyList<string> Datacenters);
