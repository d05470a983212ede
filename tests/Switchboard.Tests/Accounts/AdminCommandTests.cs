using System.Text;
using System.Text.RegularExpressions;
using Switchboard.Accounts;
using Switchboard.Keys;

namespace Switchboard.Tests.Accounts;

/// <summary>Tests that swap <see cref="Console.Out"/> and <see cref="Console.Error"/>, which are process-wide.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;

[Collection("Console")]
public sealed partial class AdminCommandTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("switchboard-admin-");

    private string DatabasePath => Path.Combine(_data.FullName, "switchboard.db");

    [Fact]
    public void Credits_added_to_a_new_account_show_in_the_accounts_listing()
    {
        var accountId = CreateAccount("acme", "5");

        var credited = Run("credits", "add", "--account", accountId, "--amount", "7.25", "--note", "wire transfer");
        Assert.Equal(0, credited.ExitCode);
        Assert.Equal("balance: 12.25", credited.Out.Trim());

        var listed = Run("accounts");
        Assert.Equal(0, listed.ExitCode);
        var row = Assert.Single(listed.Out.Split('\n'), line => line.StartsWith(accountId + " ", StringComparison.Ordinal));
        Assert.Equal([accountId, "acme", "no", "12.25", "0"], Columns().Split(row.Trim()));
    }

    [Fact]
    public void A_management_key_is_printed_once_and_only_its_hash_is_stored()
    {
        var accountId = CreateAccount("ci");

        var created = Run("create-key", "--account", accountId, "--management", "--name", "deploy");

        Assert.Equal(0, created.ExitCode);
        var key = created.Out.TrimEnd('\n', '\r');
        Assert.Matches(KeyFormat(), key);
        var hash = ApiKeySecret.Hash(key);
        Assert.Contains(hash, created.Error, StringComparison.Ordinal);
        Assert.Contains("management", created.Error, StringComparison.Ordinal);

        Assert.True(Contains(File.ReadAllBytes(DatabasePath), hash));
        foreach (var file in _data.EnumerateFiles())
        {
            Assert.False(Contains(File.ReadAllBytes(file.FullName), key), $"{file.Name} holds the key's plaintext");
        }
    }

    [Fact]
    public void The_ledger_audit_passes_after_credits_and_adjustments()
    {
        var accountId = CreateAccount("audited", "10");
        Assert.Equal(0, Run("credits", "add", "--account", accountId, "--amount", "-2.5", "--kind", "adjustment").ExitCode);

        var audit = Run("ledger", "audit");

        Assert.Equal(0, audit.ExitCode);
        Assert.Contains($"account {accountId}: balanced; balance 7.5, ledger sum 7.5", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void An_amount_that_is_not_a_number_exits_2_with_a_message_before_touching_the_store()
    {
        var result = Run("credits", "add", "--account", "1", "--amount", "abc");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--amount must be an amount of USD such as 10 or 2.50, not 'abc'.", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public void Create_key_without_an_admin_account_says_how_to_get_one()
    {
        var result = Run("create-key");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains("start the gateway once, or use create-account", result.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            _data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private string CreateAccount(string name, string? credits = null)
    {
        var result = credits is null ? Run("create-account", "--name", name) : Run("create-account", "--name", name, "--credits", credits);
        Assert.Equal(0, result.ExitCode);
        var match = CreatedAccount().Match(result.Out);
        Assert.True(match.Success, result.Out);
        return match.Groups["id"].Value;
    }

    private (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            Assert.True(AdminCommand.TryRun(["admin", .. args, $"--Switchboard:Database:DataDirectory={_data.FullName}"], out var exitCode));
            return (exitCode, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }

    private static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    [GeneratedRegex(@"^sk-sb-v1-[0-9a-f]{64}$")]
    private static partial Regex KeyFormat();

    [GeneratedRegex(@"\Aaccount_id: (?<id>\d+)\r?\nmanagement_key: sk-sb-v1-[0-9a-f]{64}\r?\n\z")]
    private static partial Regex CreatedAccount();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Columns();
}
