using Switchboard.Keys;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

/// <summary>How a key's patterns judge a catalog id and its variant, and which patterns are refused, without a gateway.</summary>
public sealed class KeyGovernanceUnitTests
{
    [Theory]
    [InlineData("anthropic/*", "anthropic/claude-sonnet-4.5", "None", true)]
    [InlineData("anthropic/*", "openai/gpt-5.5", "None", false)]
    [InlineData("anthropic/*", "anthropic/claude-sonnet-4.5", "Free", true)]
    [InlineData("google/gemini-*", "google/gemini-2.5-flash", "Nitro", true)]
    [InlineData("*:free", "meta-llama/llama-3.3-70b-instruct", "None", false)]
    [InlineData("*:free", "meta-llama/llama-3.3-70b-instruct", "Free", true)]
    [InlineData("*:free", "meta-llama/llama-3.3-70b-instruct", "Floor", false)]
    [InlineData("openai/gpt-5.4-mini", "OpenAI/GPT-5.4-Mini", "None", true)]
    [InlineData("openai/gpt-5.4-mini", "openai/gpt-5.4-mini-high", "None", false)]
    [InlineData("*gpt*mini", "openai/gpt-5.4-mini", "None", true)]
    public void A_pattern_judges_the_catalog_id_and_its_variant(string pattern, string id, string variant, bool allowed)
    {
        var governance = new KeyGovernance([pattern], null);

        Assert.Equal(allowed, governance.AllowsModel(id, Enum.Parse<ModelVariant>(variant)));
    }

    [Fact]
    public void No_rule_allows_everything_and_the_stored_columns_round_trip()
    {
        Assert.Null(KeyGovernance.From(null, null));
        var governance = KeyGovernance.From(KeyRuleColumn.Write(["a/*", "*:free"]), KeyRuleColumn.Write(["alpha"]))!;
        Assert.Equal(["a/*", "*:free"], governance.AllowedModels!);
        Assert.Equal(["alpha"], governance.AllowedProviders!);
        Assert.True(new KeyGovernance(null, ["alpha"]).AllowsModel("any/model", ModelVariant.Free));
    }

    [Fact]
    public void A_long_list_is_named_in_part_in_the_message_and_whole_in_the_metadata()
    {
        var patterns = Enumerable.Range(0, 30).Select(i => $"m/{i}").ToArray();

        var refusal = new KeyGovernance(patterns, null).ModelRefusal("x/y", ModelVariant.Free, "model");

        Assert.Equal(403, refusal.Status);
        Assert.EndsWith("m/9 and 20 more.", refusal.Message, StringComparison.Ordinal);
        Assert.StartsWith("This key may not use 'x/y:free'", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(30, refusal.Metadata!.Allowed!.Count);
    }

    [Theory]
    [InlineData("anthropic/*", null)]
    [InlineData("*:FREE", null)]
    [InlineData("openai/gpt-5.4-mini:nitro", null)]
    [InlineData("*", "send null instead")]
    [InlineData("", "must not be empty")]
    [InlineData("a/b:c", "':free', ':nitro' or ':floor'")]
    [InlineData("a/b:free:free", "':free', ':nitro' or ':floor'")]
    [InlineData(":free", "needs a model pattern before it")]
    [InlineData("a/\tb", "printable ASCII")]
    [InlineData("модель/*", "printable ASCII")]
    public void Patterns_are_refused_only_when_they_could_never_mean_what_they_say(string pattern, string? problem)
    {
        var error = KeyRuleValidation.Patterns([pattern], out var patterns);

        if (problem is null)
        {
            Assert.Null(error);
            Assert.Equal([pattern], patterns);
        }
        else
        {
            Assert.NotNull(error);
            Assert.Contains(problem, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_key_rate_only_tightens_the_gateways()
    {
        static Switchboard.Keys.CallerKey Key(int? rpm) => new(1, 1, "h", "l", ApiKeyKind.Inference, false, null, null, null, false, false, RequestsPerMinute: rpm);

        Assert.Equal(0, Key(null).RequestsPerMinuteUnder(0));
        Assert.Equal(30, Key(null).RequestsPerMinuteUnder(30));
        Assert.Equal(10, Key(10).RequestsPerMinuteUnder(30));
        Assert.Equal(30, Key(50).RequestsPerMinuteUnder(30));
        Assert.Equal(50, Key(50).RequestsPerMinuteUnder(0));
    }
}
