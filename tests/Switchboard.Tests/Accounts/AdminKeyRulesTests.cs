using Switchboard.Keys;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Accounts;

/// <summary><c>create-key</c> and <c>update-key</c> with a key's governance rules, checked as the keys API checks them.</summary>
public sealed partial class AdminCommandTests
{
    private Task<long> CountKeysAsync(string where) =>
        StoreReader.Sqlite(_data.FullName).CountAsync($"""SELECT COUNT(*) FROM api_keys WHERE {where}""");

    [Fact]
    public async Task Create_key_stores_the_rules_and_update_key_changes_and_lifts_them()
    {
        var accountId = CreateAccount("governed");

        var created = Run("create-key", "--account", accountId, "--name", "ci", "--allowed-models", "anthropic/*, openai/gpt-5.4-mini",
            "--allowed-providers", "anthropic,OpenAI", "--rpm", "30", "--tpm", "50000");

        Assert.Equal(0, created.ExitCode);
        var hash = ApiKeySecret.Hash(created.Out.TrimEnd('\n', '\r'));
        Assert.Equal(1, await CountKeysAsync($"\"Hash\" = '{hash}' AND \"AllowedModels\" = 'anthropic/*,openai/gpt-5.4-mini' "
            + "AND \"AllowedProviders\" = 'anthropic,openai' AND \"RequestsPerMinute\" = 30 AND \"TokensPerMinute\" = 50000"));

        var updated = Run("update-key", "--key", hash, "--allowed-models", "all", "--rpm", "default", "--allowed-providers", "google-ai-studio");

        Assert.Equal(0, updated.ExitCode);
        Assert.Contains("allowed_models: all", updated.Out, StringComparison.Ordinal);
        Assert.Contains("allowed_providers: google-ai-studio", updated.Out, StringComparison.Ordinal);
        Assert.Equal(1, await CountKeysAsync($"\"Hash\" = '{hash}' AND \"AllowedModels\" IS NULL AND \"AllowedProviders\" = 'google-ai-studio' "
            + "AND \"RequestsPerMinute\" IS NULL AND \"TokensPerMinute\" = 50000"));
    }

    [Theory]
    [InlineData("--allowed-models", "*", "a pattern of '*' alone allows every model")]
    [InlineData("--allowed-models", "x/y:turbo", "':free', ':nitro' or ':floor'")]
    [InlineData("--rpm", "0", "'requests_per_minute' must be a whole number from 1 to")]
    [InlineData("--tpm", "lots", "--tpm must be a whole number, not 'lots'.")]
    public void A_bad_rule_exits_2_before_touching_the_store(string option, string value, string message)
    {
        var result = Run("create-key", "--account", "1", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_providers_there_are()
    {
        var accountId = CreateAccount("typo");

        var result = Run("create-key", "--account", accountId, "--allowed-providers", "antropic");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains("'antropic', which is not a provider of this gateway. Providers: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("anthropic", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_key_refuses_a_management_key_and_an_unknown_hash()
    {
        var accountId = CreateAccount("managed");
        var management = Run("create-key", "--account", accountId, "--management");
        var hash = ApiKeySecret.Hash(management.Out.TrimEnd('\n', '\r'));

        var refused = Run("update-key", "--key", hash, "--rpm", "10");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("management key", refused.Error, StringComparison.Ordinal);

        var missing = Run("update-key", "--key", new string('0', 64), "--rpm", "10");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no key with hash", missing.Error, StringComparison.Ordinal);

        var nothing = Run("update-key", "--key", hash);
        Assert.Equal(2, nothing.ExitCode);
    }
}
