namespace Switchboard.Keys;

/// <summary>
/// An API key. Only the SHA-256 <see cref="Hash"/> of the secret is stored; <see cref="Label"/> is a masked form
/// for display. Spend against <see cref="Limit"/> is tracked on the row (<see cref="PeriodUsage"/> and
/// <see cref="Reserved"/>) so the limit is enforced in the same statement that reserves credit.
/// </summary>
internal sealed class ApiKey
{
    public long Id { get; set; }
    public long AccountId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the key; the key's public identifier.</summary>
    public required string Hash { get; set; }
    public required string Label { get; set; }
    public required string Name { get; set; }
    public ApiKeyKind Kind { get; set; }
    public bool Disabled { get; set; }

    /// <summary>USD the key may spend per period; null means no limit beyond the account balance.</summary>
    public decimal? Limit { get; set; }
    public LimitReset? LimitReset { get; set; }
    public bool IncludeByokInLimit { get; set; }
    public DateTime? ExpiresAt { get; set; }

    /// <summary>Lifetime spend in USD, BYOK included.</summary>
    public decimal Usage { get; set; }

    /// <summary>Lifetime spend in USD on BYOK endpoints.</summary>
    public decimal ByokUsage { get; set; }

    /// <summary>Spend counted against <see cref="Limit"/> since <see cref="PeriodStart"/>.</summary>
    public decimal PeriodUsage { get; set; }

    /// <summary>Start (UTC) of the limit period <see cref="PeriodUsage"/> belongs to.</summary>
    public DateTime PeriodStart { get; set; }

    /// <summary>USD held by this key's open reservations.</summary>
    public decimal Reserved { get; set; }

    /// <summary>
    /// Model patterns the key may call, comma-separated (<see cref="Routing.KeyRuleColumn"/>); null for every model.
    /// See <see cref="Routing.KeyGovernance"/> for how they match.
    /// </summary>
    public string? AllowedModels { get; set; }

    /// <summary>Provider slugs whose endpoints the key may use, comma-separated; null for every provider.</summary>
    public string? AllowedProviders { get; set; }

    /// <summary>The key's own requests per minute, at most the gateway's; null for the gateway's (<c>Switchboard:RateLimits</c>).</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>The key's own tokens per minute; null for the gateway's. Stored and shown; see docs/api.md for enforcement.</summary>
    public long? TokensPerMinute { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Moves on every change a cache must see (disable, delete, limit, expiry, the governance rules).</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>Deleted keys stay for the ledger and generation records that point at them.</summary>
    public DateTime? DeletedAt { get; set; }
}

internal enum ApiKeyKind
{
    /// <summary>Calls models. Cannot manage keys or credits.</summary>
    Inference,

    /// <summary>Manages keys and reads account-wide data. Cannot call models.</summary>
    Management,
}

/// <summary>When a key's spend limit starts over: midnight UTC; weeks start on Monday.</summary>
internal enum LimitReset
{
    Daily,
    Weekly,
    Monthly,
}
