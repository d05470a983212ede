using System.Text.Json.Serialization;

namespace Switchboard.Keys;

/// <summary>A key as the keys API shows it (OpenRouter's <c>ApiKey</c> and <c>/key</c> fields). Money in USD.</summary>
/// <remarks>
/// Unset limits and expiry are written as <c>null</c>, as OpenRouter does, rather than left out. Fields of OpenRouter's
/// that Switchboard has no notion of carry its empty values: no creator user, external user or organization (null),
/// the one workspace (<c>""</c>, a string the SDK requires). <c>GET /key</c> adds <see cref="CurrentKeyLimits"/>.
/// </remarks>
internal sealed record ApiKeyView(
    string Hash,
    string Name,
    string Label,
    bool Disabled,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Limit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? LimitRemaining,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? LimitReset,
    bool IncludeByokInLimit,
    decimal Usage,
    decimal UsageDaily,
    decimal UsageWeekly,
    decimal UsageMonthly,
    decimal ByokUsage,
    decimal ByokUsageDaily,
    decimal ByokUsageWeekly,
    decimal ByokUsageMonthly,
    bool IsFreeTier,
    bool IsManagementKey,
    bool IsProvisioningKey,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTime? ExpiresAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? CreatorUserId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ExternalUser { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? OrganizationId { get; init; }

    public string WorkspaceId { get; init; } = "";

    /// <summary>Model patterns the key may call; null for every model (Switchboard's governance, not OpenRouter's).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Provider slugs whose endpoints the key may use; null for every provider.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<string>? AllowedProviders { get; init; }

    /// <summary>The key's own requests per minute; null for the gateway's.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? RequestsPerMinute { get; init; }

    /// <summary>The key's own tokens per minute; null for the gateway's.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? TokensPerMinute { get; init; }

    /// <summary><c>GET /key</c> only: the caller's own limits (left out of the <c>/keys</c> views).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? AllowedDataRegions { get; init; }

    /// <inheritdoc cref="AllowedDataRegions"/>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FreeModelDailyRequestsView? FreeModelDailyRequests { get; init; }

    /// <inheritdoc cref="AllowedDataRegions"/>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RateLimitView? RateLimit { get; init; }
}

/// <summary><c>:free</c> requests today for the key's account: its daily allowance, how many it made, how many are left.</summary>
internal sealed record FreeModelDailyRequestsView(int Limit, int Used, int Remaining);

/// <summary>
/// OpenRouter's deprecated <c>rate_limit</c>: the key's requests per minute, or <c>-1</c> when it has no limit.
/// </summary>
internal sealed record RateLimitView(int Requests, string Interval, string Note);

internal sealed record ApiKeyEnvelope(ApiKeyView Data);

internal sealed record ApiKeyListEnvelope(IReadOnlyList<ApiKeyView> Data);

/// <summary>The one response that carries a key's secret: its creation.</summary>
internal sealed record CreatedApiKeyEnvelope(ApiKeyView Data, string Key);

internal sealed record DeletedEnvelope(bool Deleted);
