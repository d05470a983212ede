using Switchboard.Billing;

namespace Switchboard.Accounts;

internal sealed record LedgerAuditView(
    long AccountId, decimal Balance, decimal LedgerSum, decimal Reserved, decimal Leased, int StaleLeases, decimal Uncollected,
    decimal LowestBalance, int OpenReservations, bool Balanced, IReadOnlyList<string> Problems)
{
    public static LedgerAuditView From(AccountAudit audit) => new(
        audit.AccountId, Money.Normalize(audit.Balance), Money.Normalize(audit.LedgerSum), Money.Normalize(audit.Reserved),
        Money.Normalize(audit.Leased), audit.StaleLeases, Money.Normalize(audit.Uncollected), Money.Normalize(audit.LowestBalance),
        audit.OpenReservations, audit.Balanced, audit.Problems);
}

internal sealed record KeyAuditView(
    long KeyId, long AccountId, decimal? Limit, decimal PeriodUsage, decimal Reserved, decimal Leased, int StaleLeases, bool Balanced, IReadOnlyList<string> Problems)
{
    public static KeyAuditView From(KeyAudit audit) => new(
        audit.KeyId, audit.AccountId, audit.Limit is { } limit ? Money.Normalize(limit) : null, Money.Normalize(audit.PeriodUsage),
        Money.Normalize(audit.Reserved), Money.Normalize(audit.Leased), audit.StaleLeases, audit.Balanced, audit.Problems);
}

internal sealed record UncollectedView(long AccountId, long? ApiKeyId, string? GenerationId, decimal Amount, DateTime CreatedAt)
{
    public static UncollectedView From(UncollectedLine line) =>
        new(line.AccountId, line.ApiKeyId, line.GenerationId, Money.Normalize(line.Amount), line.CreatedAt);
}

/// <summary><c>GET /admin/ledger/audit</c>: balanced only when every account and key is.</summary>
internal sealed record LedgerAuditEnvelope(
    bool Balanced, decimal Uncollected, int Instances, IReadOnlyList<LedgerAuditView> Data, IReadOnlyList<KeyAuditView> Keys, IReadOnlyList<UncollectedView> RecentUncollected)
{
    public static LedgerAuditEnvelope From(LedgerAuditReport report) => new(
        report.Balanced,
        Money.Normalize(report.Accounts.Sum(a => a.Uncollected)),
        report.Instances,
        [.. report.Accounts.Select(LedgerAuditView.From)],
        [.. report.Keys.Select(KeyAuditView.From)],
        [.. report.RecentUncollected.Select(UncollectedView.From)]);
}
