using Switchboard.Routing;

namespace Switchboard.Keys;

/// <summary>
/// The key a request was authenticated with, as the key cache holds it. <see cref="Limit"/> only says whether the
/// key has a spend limit to lease against (see <see cref="Billing.CreditBook"/>); what is left of it lives in the store.
/// <see cref="Governance"/> is what it may call (null: anything), <see cref="RequestsPerMinute"/> and
/// <see cref="TokensPerMinute"/> its own rate limits (null: the gateway's).
/// </summary>
internal sealed record CallerKey(
    long Id,
    long AccountId,
    string Hash,
    string Label,
    ApiKeyKind Kind,
    bool Disabled,
    DateTime? ExpiresAt,
    decimal? Limit,
    LimitReset? LimitReset,
    bool IncludeByokInLimit,
    bool IsAdminAccount,
    KeyGovernance? Governance = null,
    int? RequestsPerMinute = null,
    long? TokensPerMinute = null)
{
    public bool IsExpired(DateTime utcNow) => ExpiresAt is { } expires && expires <= utcNow;

    /// <summary>Neither disabled nor expired.</summary>
    public bool IsUsable(DateTime utcNow) => !Disabled && !IsExpired(utcNow);

    /// <summary>
    /// The requests per minute this key may make: its own limit when it has one, but never more than the gateway's
    /// (<paramref name="gatewayLimit"/>, 0 for none), so an account can hold a key tighter, never looser; 0 is no limit.
    /// </summary>
    public int RequestsPerMinuteUnder(int gatewayLimit) =>
        RequestsPerMinute is { } own && (gatewayLimit <= 0 || own < gatewayLimit) ? own : gatewayLimit;

    /// <summary>The key's own tokens per minute, never above the gateway's <paramref name="gatewayLimit"/> when that is set (0 or less: none).</summary>
    public long TokensPerMinuteUnder(long gatewayLimit) =>
        TokensPerMinute is { } own && (gatewayLimit <= 0 || own < gatewayLimit) ? own : gatewayLimit;
}
