using System.Text.Json.Serialization;

namespace Switchboard.Keys;

/// <summary>A key as the keys API shows it (OpenRouter's <c>ApiKey</c> and <c>/key</c> fields). Money in USD.</summary>
/// <remarks>Unset limits and expiry are written as <c>null</c>, as OpenRouter does, rather than left out.</remarks>
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
    bool IsFreeTier,
    bool IsManagementKey,
    bool IsProvisioningKey,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTime? ExpiresAt);

internal sealed record ApiKeyEnvelope(ApiKeyView Data);

internal sealed record ApiKeyListEnvelope(IReadOnlyList<ApiKeyView> Data);

/// <summary>The one response that carries a key's secret: its creation.</summary>
internal sealed record CreatedApiKeyEnvelope(ApiKeyView Data, string Key);

internal sealed record DeletedEnvelope(bool Deleted);
