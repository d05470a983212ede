using System.Globalization;
using Switchboard.Keys;

namespace Switchboard.Alerts;

/// <summary>
/// Which thresholds accounts and keys have reached, as alerts to record. A key is measured by its usage in its
/// current limit period against its limit; an account by what it spent since its last top-up
/// (<c>CreditBaseline - Balance</c>) against the balance that top-up left (<c>CreditBaseline</c>).
/// </summary>
internal static class SpendAlertCrossings
{
    public const string BalanceSubject = "balance";

    public static string KeySubject(long keyId) => $"key:{keyId.ToString(CultureInfo.InvariantCulture)}";

    public static IEnumerable<SpendAlert> Find(IReadOnlyList<AccountFigures> accounts, IReadOnlyList<KeyFigures> keys, DateTime now, bool operatorWebhook)
    {
        foreach (var account in accounts)
        {
            var thresholds = AlertThresholds.Parse(account.Thresholds);
            WebhookDelivery? webhook = account.HasWebhook || operatorWebhook ? WebhookDelivery.Pending : null;
            var spent = account.CreditBaseline - account.Balance;
            foreach (var threshold in AlertThresholds.Reached(thresholds, spent, account.CreditBaseline))
            {
                yield return Alert(account.Id, null, SpendAlertKind.Balance, BalanceSubject, threshold, account.BaselineAt, spent, account.CreditBaseline, now, webhook);
            }
            foreach (var key in keys.Where(k => k.AccountId == account.Id))
            {
                foreach (var threshold in AlertThresholds.Reached(thresholds, key.PeriodUsage, key.Limit))
                {
                    yield return Alert(account.Id, key.Id, SpendAlertKind.KeyLimit, KeySubject(key.Id), threshold, PeriodOf(key), key.PeriodUsage, key.Limit, now, webhook);
                }
            }
        }
    }

    /// <summary>
    /// The limit period the key's usage belongs to: the one its row holds, which the journal moves on with the
    /// first charge of a new period. A limit that never resets has one period, the key's life, dated from its
    /// creation (rather than the row's <see cref="DateTime.MinValue"/>, which PostgreSQL would store as -infinity).
    /// </summary>
    private static DateTime PeriodOf(KeyFigures key) => key.LimitReset is null ? key.CreatedAt : key.PeriodStart;

    private static SpendAlert Alert(
        long accountId, long? keyId, SpendAlertKind kind, string subject, int threshold, DateTime periodStart, decimal spent, decimal of, DateTime now,
        WebhookDelivery? webhook) => new()
        {
            AccountId = accountId,
            ApiKeyId = keyId,
            Kind = kind,
            Subject = subject,
            Threshold = threshold,
            PeriodStart = periodStart,
            Spent = spent,
            Of = of,
            CreatedAt = now,
            Webhook = webhook,
        };

    /// <summary>An account's alert settings and balance figures; <see cref="BaselineAt"/> is its last top-up, or its creation.</summary>
    internal sealed record AccountFigures(long Id, string Thresholds, bool HasWebhook, decimal Balance, decimal CreditBaseline, DateTime BaselineAt);

    internal sealed record KeyFigures(long Id, long AccountId, decimal Limit, LimitReset? LimitReset, decimal PeriodUsage, DateTime PeriodStart, DateTime CreatedAt);
}
