using System.Globalization;
using Microsoft.Extensions.Options;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Keys;

namespace Switchboard.Accounts;

/// <summary>
/// What the <c>admin</c> commands do, once their arguments are valid. Secrets and values a script captures go to
/// stdout; everything said to the operator goes to stderr. Each returns the process exit code.
/// </summary>
internal sealed class AdminOperations(
    AccountAdministration accounts, ApiKeyStore keys, CreditLedger ledger, LedgerAudit audit, IOptions<SwitchboardOptions> options)
{
    public async Task<int> CreateKeyAsync(long? accountId, ApiKeySpec spec, KeyRuleArguments rules)
    {
        if (rules.Resolve(Providers(), options.Value.RateLimits.RequestsPerMinute) is { } problem)
        {
            return Fail(problem);
        }
        spec = rules.ApplyTo(spec);
        var account = accountId is { } id
            ? await accounts.FindAsync(id, CancellationToken.None)
            : (await accounts.ListAsync(CancellationToken.None)).FirstOrDefault(a => a.IsAdmin);
        if (account is null)
        {
            return Fail(accountId is { } missing
                ? $"no account {missing}."
                : "there is no admin account yet: start the gateway once, or use create-account and pass --account.");
        }
        var (key, secret) = await keys.CreateAsync(account.Id, spec);
        Console.Out.WriteLine(secret);
        Console.Error.WriteLine($"Created {Kind(key.Kind)} key '{key.Name}' on account {account.Id} ({account.Name}); "
            + $"its hash is {key.Hash}. The key is shown only this once.");
        return 0;
    }

    /// <summary>Changes a key's governance rules, whichever account it is in; the change reaches running gateways like any key change.</summary>
    public async Task<int> UpdateKeyAsync(string hash, KeyRuleArguments rules)
    {
        if (rules.Resolve(Providers(), options.Value.RateLimits.RequestsPerMinute) is { } problem)
        {
            return Fail(problem);
        }
        if (await keys.FindAnyAsync(hash, CancellationToken.None) is not { } found)
        {
            return Fail($"no key with hash {hash}.");
        }
        if (found.Kind == ApiKeyKind.Management)
        {
            return Fail("that is a management key: model, provider and rate rules apply to inference keys only.");
        }
        var key = await keys.UpdateAsync(found.AccountId, hash, rules.ApplyTo, CancellationToken.None);
        if (key is null)
        {
            return Fail($"no key with hash {hash}.");
        }
        Console.Out.WriteLine($"allowed_models: {key.AllowedModels ?? "all"}");
        Console.Out.WriteLine($"allowed_providers: {key.AllowedProviders ?? "all"}");
        Console.Out.WriteLine($"requests_per_minute: {key.RequestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "default"}");
        Console.Out.WriteLine($"tokens_per_minute: {key.TokensPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "default"}");
        Console.Error.WriteLine($"Updated key '{key.Name}' on account {key.AccountId}.");
        return 0;
    }

    /// <summary>
    /// The providers the gateway would serve with these settings (the catalog file and Switchboard:Providers), to check
    /// the slugs a key names. Every protocol the settings mention is accepted here: only the names matter.
    /// </summary>
    private System.Collections.Immutable.ImmutableArray<ProviderInfo> Providers()
    {
        var settings = options.Value;
        var file = CatalogFileReader.Read(settings.CatalogPath ?? CatalogFileReader.DefaultPath, []);
        var protocols = file.Providers.Select(p => p.Protocol).Concat(settings.Providers.Values.Select(p => p.Protocol)).Append("openai")
            .OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new CatalogBuilder(protocols).Build(file, settings).Providers;
    }

    public async Task<int> CreateAccountAsync(string name, decimal credits)
    {
        var created = await accounts.CreateAsync(name, isAdmin: false, credits);
        Console.Out.WriteLine($"account_id: {created.Account.Id}");
        Console.Out.WriteLine($"management_key: {created.ManagementKeySecret}");
        Console.Error.WriteLine($"Created account {created.Account.Id} ('{name}') with {Usd(credits)} USD; its management key's hash is "
            + $"{created.ManagementKey.Hash}. The key is shown only this once.");
        return 0;
    }

    /// <param name="kind"><c>top_up</c>, <c>adjustment</c> or <c>refund</c>, as the admin API names them.</param>
    public async Task<int> AddCreditsAsync(long accountId, decimal amount, string kind, string? note)
    {
        if (await accounts.FindAsync(accountId, CancellationToken.None) is null)
        {
            return Fail($"no account {accountId}.");
        }
        var entryKind = kind switch { "adjustment" => LedgerEntryKind.Adjustment, "refund" => LedgerEntryKind.Refund, _ => LedgerEntryKind.TopUp };
        var entry = await ledger.CreditAsync(accountId, amount, entryKind, note);
        var account = await accounts.FindAsync(accountId, CancellationToken.None);
        Console.Out.WriteLine($"balance: {Usd(account!.Balance)}");
        Console.Error.WriteLine($"Ledger entry {entry.Id}: {Usd(amount)} USD ({kind}) on account {accountId}.");
        return 0;
    }

    public async Task<int> ListAccountsAsync()
    {
        var rows = (await accounts.ListAsync(CancellationToken.None))
            .Select(a => new[] { a.Id.ToString(CultureInfo.InvariantCulture), a.Name, a.IsAdmin ? "yes" : "no", Usd(a.Balance), Usd(a.Reserved) })
            .Prepend(["id", "name", "admin", "balance", "reserved"])
            .ToList();
        var widths = Enumerable.Range(0, 5).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
        return 0;
    }

    /// <returns>1 when any account's balance or reserved total disagrees with its ledger or its leases.</returns>
    public async Task<int> AuditLedgerAsync()
    {
        var report = await audit.RunAsync();
        foreach (var a in report.Accounts)
        {
            Console.Out.WriteLine($"account {a.AccountId}: {(a.Balanced ? "balanced" : "NOT BALANCED")}; "
                + $"balance {Usd(a.Balance)}, ledger sum {Usd(a.LedgerSum)}; "
                + $"reserved {Usd(a.Reserved)}, leased to gateway instances {Usd(a.Leased)}; uncollected {Usd(a.Uncollected)}"
                + string.Concat(a.Problems.Select(p => $"\n  - {p}")));
        }
        foreach (var k in report.Keys.Where(k => !k.Balanced))
        {
            Console.Out.WriteLine($"key {k.KeyId} (account {k.AccountId}): NOT BALANCED" + string.Concat(k.Problems.Select(p => $"\n  - {p}")));
        }
        var unbalanced = report.Accounts.Count(a => !a.Balanced) + report.Keys.Count(k => !k.Balanced);
        Console.Out.WriteLine(unbalanced == 0
            ? $"ledger balanced: {report.Accounts.Count} account(s) and {report.Keys.Count} key(s) checked."
            : $"ledger NOT balanced: {unbalanced} account(s) or key(s) disagree.");
        return unbalanced == 0 ? 0 : 1;
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"admin: {message}");
        return 1;
    }

    private static string Usd(decimal amount) => Money.Normalize(amount).ToString(CultureInfo.InvariantCulture);

    private static string Kind(ApiKeyKind kind) => kind == ApiKeyKind.Management ? "management" : "inference";
}
