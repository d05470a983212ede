using Microsoft.EntityFrameworkCore;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Accounts;

/// <summary>Creating accounts, each with its first management key: shared by the admin API, the command line and first start.</summary>
internal sealed class AccountAdministration(SwitchboardStore store, ApiKeyStore keys, CreditLedger ledger, TimeProvider time)
{
    public async Task<NewAccount> CreateAsync(string name, bool isAdmin, decimal initialCredits, string? managementKey = null, CancellationToken cancellationToken = default)
    {
        var account = new Account { Name = name, IsAdmin = isAdmin, CreatedAt = time.GetUtcNow().UtcDateTime };
        await store.WriteAsync(async db =>
        {
            db.Accounts.Add(account);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        var (key, secret) = await keys.CreateAsync(account.Id, new ApiKeySpec($"{name} management", ApiKeyKind.Management), managementKey, cancellationToken);
        if (initialCredits > 0m)
        {
            await ledger.CreditAsync(account.Id, initialCredits, LedgerEntryKind.TopUp, "initial credits");
        }
        return new NewAccount(account, key, secret);
    }

    public async Task<bool> AnyAdminAsync(CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.Accounts.AnyAsync(a => a.IsAdmin, cancellationToken);
    }

    public async Task<Account?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.Accounts.OrderBy(a => a.Id).ToListAsync(cancellationToken);
    }
}

/// <summary>A new account and its first management key, whose secret is shown this once.</summary>
internal sealed record NewAccount(Account Account, ApiKey ManagementKey, string ManagementKeySecret);
