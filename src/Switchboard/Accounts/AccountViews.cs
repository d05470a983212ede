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
