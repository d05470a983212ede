namespace Switchboard.Keys;

/// <summary>
/// The key a request was authenticated with, as the key cache holds it. <see cref="Limit"/> only says whether the
/// key has a spend limit to lease against (see <see cref="Billing.CreditBook"/>); what is left of it lives in the store.
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
    bool IsAdminAccount)
{
    public bool IsExpired(DateTime utcNow) => ExpiresAt is { } expires && expires <= utcNow;

    /// <summary>Neither disabled nor expired.</summary>
    public bool IsUsable(DateTime utcNow) => !Disabled && !IsExpired(utcNow);
}
