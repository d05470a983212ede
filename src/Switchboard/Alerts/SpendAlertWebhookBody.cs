using Switchboard.Billing;

namespace Switchboard.Alerts;

/// <summary>
/// What a webhook receives, as snake_case JSON: <c>type</c> is <c>spend_alert.key_limit</c> or
/// <c>spend_alert.balance</c>; <c>id</c> is the alert's, the same on every retry, so a receiver can drop a repeat.
/// The key's hash and name are left out of a balance alert.
/// </summary>
internal sealed record SpendAlertWebhookBody(
    string Type,
    long Id,
    long AccountId,
    string AccountName,
    string? KeyHash,
    string? KeyName,
    int Threshold,
    decimal Spent,
    decimal Of,
    DateTime PeriodStart,
    DateTime CreatedAt)
{
    public static string TypeOf(SpendAlertKind kind) => kind == SpendAlertKind.KeyLimit ? "spend_alert.key_limit" : "spend_alert.balance";

    public static SpendAlertWebhookBody For(SpendAlert alert, string accountName, string? keyHash, string? keyName) => new(
        TypeOf(alert.Kind), alert.Id, alert.AccountId, accountName, keyHash, keyName, alert.Threshold,
        Money.Normalize(alert.Spent), Money.Normalize(alert.Of), alert.PeriodStart, alert.CreatedAt);
}
