using Switchboard.Billing;

namespace Switchboard.Accounts;

internal sealed record AccountView(long Id, string Name, bool IsAdmin, decimal Balance, decimal Reserved, decimal TotalPurchased, DateTime CreatedAt)
{
    public static AccountView From(Account account) => new(account.Id, account.Name, account.IsAdmin,
        Money.Normalize(account.Balance), Money.Normalize(account.Reserved), Money.Normalize(account.TotalPurchased), account.CreatedAt);
}

internal sealed record AccountListEnvelope(IReadOnlyList<AccountView> Data);

/// <summary>The only response that carries the new account's management key.</summary>
internal sealed record CreatedAccountEnvelope(AccountView Data, string Key);

internal sealed record CreditEntryView(long Id, string Kind, decimal Amount, AccountView Account);

internal sealed record CreditEntryEnvelope(CreditEntryView Data);

internal sealed record LedgerAuditView(long AccountId, decimal Balance, decimal LedgerSum, decimal Reserved, decimal Leased, int OpenReservations, bool Balanced)
{
    public static LedgerAuditView From(AccountAudit audit) => new(audit.AccountId, Money.Normalize(audit.Balance), Money.Normalize(audit.LedgerSum),
        Money.Normalize(audit.Reserved), Money.Normalize(audit.Leased), audit.OpenReservations, audit.Balanced);
}

internal sealed record LedgerAuditEnvelope(bool Balanced, IReadOnlyList<LedgerAuditView> Data);
