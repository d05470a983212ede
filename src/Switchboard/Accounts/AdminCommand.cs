using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Accounts;

/// <summary>
/// <c>dotnet run --project src/Switchboard -- admin &lt;command&gt;</c>: manages accounts, keys and credits in the
/// store directly, for an operator without a management key or with the gateway stopped. Migrates the store first,
/// so it also works on a fresh data directory. Exit codes: 0 done, 1 failed (or the ledger is not balanced),
/// 2 bad arguments.
/// </summary>
internal static class AdminCommand
{
    private const int NameLength = 200;
    private const int NoteLength = 500;

    private const string Usage = """
        usage: admin <command> [options] [--Switchboard:<setting>=<value> ...]

          create-key [--account <id>] [--name <name>] [--management] [--limit <usd>] [--limit-reset daily|weekly|monthly]
                     [--allowed-models <pattern,...>] [--allowed-providers <slug,...>] [--rpm <n>] [--tpm <n>]
              Creates an inference key (a management key with --management) on the account, by default the
              admin account, and prints it: the only time it is shown. --allowed-models limits the key to models
              matching the patterns (catalog ids, '*' for any run of characters: anthropic/*,*:free);
              --allowed-providers to those providers' endpoints; --rpm and --tpm set its own requests and tokens
              per minute (the rpm at most the gateway's Switchboard:RateLimits:RequestsPerMinute).
          update-key --key <hash> [--allowed-models <pattern,...>|all] [--allowed-providers <slug,...>|all]
                     [--rpm <n>|default] [--tpm <n>|default]
              Changes those rules on an existing key of any account: 'all' lifts a list, 'default' returns a rate
              to the gateway's. Running gateways see the change within a second.
          create-account --name <name> [--credits <usd>]
              Creates an account with its first management key, and prints the account id and the key.
          credits add --account <id> --amount <usd> [--kind top_up|adjustment|refund] [--note <text>]
              Adds credit (an adjustment may be negative), and prints the new balance.
          accounts
              Lists accounts: id, name, admin, balance and reserved USD.
          ledger audit
              Checks each account's balance against its ledger; exits 1 if any account disagrees.

        Settings come from appsettings.json, environment variables and --Switchboard:... arguments, as for the
        gateway; --Switchboard:Database:DataDirectory=<dir> chooses the SQLite store.
        """;

    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args is not ["admin", .. var command])
        {
            return false;
        }
        exitCode = RunAsync(command).GetAwaiter().GetResult();
        return true;
    }

    private static async Task<int> RunAsync(string[] args)
    {
        if (args is ["help" or "--help" or "-h"])
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }
        var (arguments, operation) = Parse(args);
        if (arguments.Error is not null || operation is null)
        {
            Console.Error.WriteLine($"admin: {arguments.Error}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(Usage);
            return 2;
        }
        try
        {
            using var host = AdminHost.Build(arguments.Configuration);
            try
            {
                await host.Services.GetRequiredService<DatabaseMigrator>().StartAsync(CancellationToken.None);
                return await operation(host.Services.GetRequiredService<AdminOperations>());
            }
            finally
            {
                AdminHost.CloseConnections(host.Services);
            }
        }
        // Bad configuration (say, Postgres without a connection string) and an unreachable or unwritable store are
        // the operator's to fix: one line says what is wrong, without a stack trace.
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // EF's save failure only says "see the inner exception"; elsewhere the outer message has the context.
            return AdminOperations.Fail(ex is DbUpdateException ? ex.GetBaseException().Message : ex.Message);
        }
    }

    private static (AdminArguments Arguments, Func<AdminOperations, Task<int>>? Operation) Parse(string[] args)
    {
        switch (args)
        {
            case ["create-key", .. var rest]:
            {
                var a = AdminArguments.Parse(rest, ["--account", "--name", "--limit", "--limit-reset", .. KeyRuleArguments.Options], ["--management"]);
                var account = a.Id("--account");
                var management = a.Flag("--management");
                a.Check(!management || !KeyRuleArguments.Options.Any(a.Has), "--allowed-models, --allowed-providers, --rpm and --tpm apply to inference keys only.");
                var spec = new ApiKeySpec(
                    a.Text("--name", NameLength) ?? "command line",
                    management ? ApiKeyKind.Management : ApiKeyKind.Inference,
                    a.Usd("--limit", allowNegative: false),
                    a.LimitReset("--limit-reset"));
                var rules = new KeyRuleArguments(a, clearable: false);
                return (a, ops => ops.CreateKeyAsync(account, spec, rules));
            }
            case ["update-key", .. var rest]:
            {
                var a = AdminArguments.Parse(rest, ["--key", .. KeyRuleArguments.Options], []);
                var hash = a.Text("--key", 64, required: true);
                a.Check(KeyRuleArguments.Options.Any(a.Has), "update-key needs at least one of " + string.Join(", ", KeyRuleArguments.Options) + ".");
                var rules = new KeyRuleArguments(a, clearable: true);
                return (a, ops => ops.UpdateKeyAsync(hash!, rules));
            }
            case ["create-account", .. var rest]:
            {
                var a = AdminArguments.Parse(rest, ["--name", "--credits"], []);
                var name = a.Text("--name", NameLength, required: true);
                var credits = a.Usd("--credits", allowNegative: false) ?? 0m;
                return (a, ops => ops.CreateAccountAsync(name!, credits));
            }
            case ["credits", "add", .. var rest]:
            {
                var a = AdminArguments.Parse(rest, ["--account", "--amount", "--kind", "--note"], []);
                var account = a.Id("--account", required: true);
                var kind = a.Choice("--kind", "top_up", "top_up", "adjustment", "refund");
                var amount = a.Usd("--amount", allowNegative: kind == "adjustment", required: true);
                a.Check(amount != 0m, "--amount must not be zero.");
                var note = a.Text("--note", NoteLength);
                return (a, ops => ops.AddCreditsAsync(account!.Value, amount!.Value, kind, note));
            }
            case ["accounts", .. var rest]:
                return (AdminArguments.Parse(rest, [], []), ops => ops.ListAccountsAsync());
            case ["ledger", "audit", .. var rest]:
                return (AdminArguments.Parse(rest, [], []), ops => ops.AuditLedgerAsync());
            default:
                var words = string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')));
                return (AdminArguments.Invalid(words.Length == 0 ? "no command given." : $"unknown command '{words}'."), null);
        }
    }
}
