using Switchboard.Catalog;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

/// <summary>openrouter/auto's ranking and pattern matching on their own, without a gateway.</summary>
public sealed class AutoSelectionTests
{
    private static AutoSelection.Eligible Candidate(string id, int rank, decimal price, int tier = 0) =>
        new(new CatalogModel { Id = id, Name = id }, rank, tier, price);

    private static string[] Order(AutoPreference preference, params AutoSelection.Eligible[] eligible) =>
        [.. AutoSelection.Order([.. eligible], preference).Select(e => e.Model.Id)];

    private static readonly AutoSelection.Eligible[] Five =
    [
        Candidate("a/best", 0, 40m), Candidate("a/good", 1, 10m), Candidate("a/mid", 2, 4m), Candidate("a/fair", 3, 3m), Candidate("a/cheap", 4, 1m),
    ];

    [Fact]
    public void Quality_keeps_list_order()
    {
        Assert.Equal(["a/best", "a/good", "a/mid", "a/fair", "a/cheap"], Order(AutoPreference.Quality, Five));
    }

    [Fact]
    public void Cost_orders_by_price_and_breaks_ties_by_list_order()
    {
        Assert.Equal(["a/cheap", "a/fair", "a/mid", "a/good", "a/best"], Order(AutoPreference.Cost, Five));
        Assert.Equal(["a/x", "a/y"], Order(AutoPreference.Cost, Candidate("a/y", 1, 2m), Candidate("a/x", 0, 2m)));
    }

    [Fact]
    public void Balanced_takes_the_best_ranked_of_the_cheaper_half_first()
    {
        // Median of 1, 3, 4, 10, 40 is 4: a/mid, a/fair and a/cheap in list order, then the rest in list order.
        Assert.Equal(["a/mid", "a/fair", "a/cheap", "a/best", "a/good"], Order(AutoPreference.Balanced, Five));
        // Two candidates: the lower median is the cheaper one's price.
        Assert.Equal(["a/cheap", "a/best"], Order(AutoPreference.Balanced, Candidate("a/best", 0, 40m), Candidate("a/cheap", 1, 1m)));
        // A free candidate does not pull the line to zero unless it is the median.
        Assert.Equal(["a/mid", "a/free", "a/best"], Order(AutoPreference.Balanced, Candidate("a/best", 0, 40m), Candidate("a/mid", 1, 4m), Candidate("a/free", 2, 0m)));
    }

    [Theory]
    [InlineData("quality")]
    [InlineData("balanced")]
    [InlineData("cost")]
    public void A_healthier_tier_always_comes_first(string name)
    {
        Assert.True(AutoPreferences.TryParse(name, out var preference));
        var order = Order(preference, Candidate("a/paused", 0, 0.1m, tier: 2), Candidate("a/unkeyed", 1, 0m, tier: 3), Candidate("a/failed", 2, 1m, tier: 1), Candidate("a/healthy", 3, 50m));
        Assert.Equal(["a/healthy", "a/failed", "a/paused", "a/unkeyed"], order);
    }

    [Theory]
    [InlineData("anthropic/*", "anthropic/claude-sonnet-4.5", true)]
    [InlineData("anthropic/*", "openai/gpt-5", false)]
    [InlineData("openai/gpt-5*", "openai/gpt-5-mini", true)]
    [InlineData("openai/gpt-5*", "openai/gpt-4o", false)]
    [InlineData("*", "x/y", true)]
    [InlineData("**", "x/y", true)]
    [InlineData("*mini", "openai/gpt-5-mini", true)]
    [InlineData("*/gpt-*-mini", "openai/gpt-5-mini", true)]
    [InlineData("*/gpt-*-mini", "openai/gpt-5-nano", false)]
    [InlineData("OpenAI/GPT-5", "openai/gpt-5", true)]
    [InlineData("openai/gpt-5", "openai/gpt-5-mini", false)]
    [InlineData("a*a", "a", false)]
    [InlineData("a*a", "aa", true)]
    [InlineData("*ab*ab*", "abab", true)]
    [InlineData("*ab*ab*", "aba", false)]
    public void Patterns_match_with_stars_for_any_run_of_characters(string pattern, string id, bool matches)
    {
        Assert.Equal(matches, ModelPattern.Matches(pattern, id));
    }
}
