namespace Switchboard.Keys;

/// <summary>
/// The key a request was authenticated with, as the key cache holds it. Limits and balances are not here:
/// they are enforced in the store, in the statement that reserves credit.
/// </summary>
internal sealed record CallerKey(
    long Id,
    long AccountId,
    string Hash,
    string Label,
    ApiKeyKind Kind,
    bool Disabled,
    DateTime? ExpiresAt,
    LimitReset? LimitReset,
    bool IncludeByokInLimit,
    bool IsAdminAccount)
{
    public bool IsExpired(DateTime utcNow) => ExpiresAt is { } expires && expires <= utcNow;
}
