using Switchboard.Billing;
using Switchboard.Catalog;

namespace Switchboard.Tests.Billing;

/// <summary>
/// The arithmetic of tiered prices, reasoning, output-image and per-image prices, and the worst case the hold is
/// priced at: the whole request at the tier its prompt falls in, and never a charge above the hold for any usage an
/// honest provider can report within the hold's bounds.
/// </summary>
public sealed class TieredCostTests
{
    // test/tiered's prices (TestCatalog.TieredPricing), USD per million tokens.
    private static readonly Pricing Tiered = new(1m, 2m, InputCacheRead: 0.5m)
    {
        Tiers =
        [
            new PriceTier(1000, new Pricing(2m, 4m, InputCacheRead: 1m)),
            new PriceTier(5000, new Pricing(3m, 6m, InputCacheRead: 1.5m)),
        ],
    };

    private static readonly Pricing Painter = new(1m, 2m) { InternalReasoning = 5m, ImageOutput = 30m, Image = 0.01m };

    private static readonly CostCalculator Costs = new(new BillingRates(new BillingOptions()));

    [Theory]
    [InlineData(1000, 100, 1000 * 1 + 100 * 2)] // at the threshold: still the base
    [InlineData(1001, 100, 1001 * 2 + 100 * 4)] // just above: the whole request at tier 1
    [InlineData(5000, 100, 5000 * 2 + 100 * 4)]
    [InlineData(5001, 100, 5001 * 3 + 100 * 6)]
    public void The_whole_request_is_priced_at_the_tier_its_prompt_falls_in(long prompt, long completion, long microDollars)
    {
        var cost = Costs.Price(Tiered, byok: false, new BilledTokens(prompt, completion));

        Assert.Equal(microDollars / 1_000_000m, cost.Charge);
        Assert.Equal(cost.PromptCost + cost.CompletionCost, cost.Charge);
    }

    [Fact]
    public void Cached_tokens_count_toward_the_threshold_and_are_read_at_the_tiers_cache_price()
    {
        // 400 uncached + 601 cached = 1,001 prompt tokens: tier 1, cached at its 1 USD/M, not the base 0.5.
        var cost = Costs.Price(Tiered, byok: false, new BilledTokens(1001, 10) { CacheRead = 601 });

        Assert.Equal((400 * 2m + 601 * 1m) / 1_000_000m, cost.PromptCost);
        Assert.Equal(10 * 4m / 1_000_000m, cost.CompletionCost);
    }

    [Fact]
    public void Reasoning_and_output_image_tokens_cost_their_own_prices_and_each_input_image_its_price()
    {
        // 100 completion tokens: 30 reasoning, 50 image, 20 text. Two input images at 0.01 each.
        var cost = Costs.Price(Painter, byok: false, new BilledTokens(10, 100) { Reasoning = 30, ImageOutput = 50, Images = 2 });

        Assert.Equal(10 * 1m / 1_000_000m + 2 * 0.01m, cost.PromptCost);
        Assert.Equal((20 * 2m + 30 * 5m + 50 * 30m) / 1_000_000m, cost.CompletionCost);
    }

    [Fact]
    public void Reasoning_costs_the_completion_price_where_the_catalog_sets_none()
    {
        var cost = Costs.Price(Tiered, byok: false, new BilledTokens(10, 100) { Reasoning = 60, ImageOutput = 40 });

        Assert.Equal(100 * 2m / 1_000_000m, cost.CompletionCost);
    }

    [Fact]
    public void Parts_a_provider_reports_beyond_the_completion_are_clamped_to_it()
    {
        var cost = Costs.Price(Painter, byok: false, new BilledTokens(0, 10) { Reasoning = 8, ImageOutput = 8 });

        Assert.Equal((8 * 5m + 2 * 30m) / 1_000_000m, cost.CompletionCost);
    }

    [Theory]
    [InlineData(1000, 1, 2)]
    [InlineData(1001, 2, 4)]
    [InlineData(5000, 2, 4)]
    [InlineData(5001, 3, 6)]
    public void The_worst_case_is_priced_at_the_tier_of_the_prompts_bound(long bound, int promptPrice, int completionPrice)
    {
        var worst = Costs.WorstCase(Tiered, byok: false, bound, completionTokens: 700);

        Assert.Equal((bound * promptPrice + 700 * completionPrice) / 1_000_000m, worst.ListPrice);
    }

    [Fact]
    public void The_worst_output_price_is_the_dearest_of_completion_reasoning_and_image_output()
    {
        var worst = Costs.WorstCase(Painter, byok: false, promptTokens: 100, completionTokens: 1000, images: 3);

        Assert.Equal(1000 * 30m / 1_000_000m, worst.CompletionCost);
        Assert.Equal(100 * 1m / 1_000_000m + 3 * 0.01m, worst.PromptCost);
        Assert.Equal(Costs.Charge(30m / 1_000_000m, byok: false), Costs.ChargePerOutputToken(Painter, byok: false, promptTokens: 100));
        Assert.Equal(Costs.Charge(6m / 1_000_000m, byok: false), Costs.ChargePerOutputToken(Tiered, byok: false, promptTokens: 5001));
    }

    [Fact]
    public void A_tier_below_the_base_price_cannot_make_the_hold_smaller_than_a_charge()
    {
        // Configuration may raise the base above a catalog tier; the hold still covers a prompt charged at the base.
        var inverted = Tiered with { Prompt = 10m, Completion = 20m };

        var worst = Costs.WorstCase(inverted, byok: false, promptTokens: 2000, completionTokens: 100);
        var charged = Costs.Price(inverted, byok: false, new BilledTokens(900, 100));

        Assert.True(worst.Charge >= charged.Charge);
        Assert.Equal((2000 * 10m + 100 * 20m) / 1_000_000m, worst.ListPrice);
    }

    /// <summary>
    /// The invariant, attacked with every usage an honest provider can report within a hold's bounds: prompts on
    /// either side of each threshold, any split into cached reads and cache writes, any split of the output into
    /// reasoning and images, with markup and without, BYOK or not.
    /// </summary>
    [Fact]
    public void No_usage_within_the_holds_bounds_is_charged_more_than_the_hold()
    {
        var pricings = new[]
        {
            Tiered,
            Tiered with { InputCacheWrite = 1.25m, InternalReasoning = 3m },
            Painter with { Tiers = [new PriceTier(1000, Painter with { Prompt = 2m, Completion = 4m })] },
            Tiered with { Prompt = 10m, Completion = 20m },
        };
        var random = new Random(17);
        var marked = new CostCalculator(new BillingRates(new BillingOptions { Markup = 0.055m, ByokFee = 0.05m }));
        foreach (var costs in new[] { Costs, marked })
        {
            foreach (var pricing in pricings)
            {
                foreach (var bound in new long[] { 16, 999, 1000, 1001, 1002, 4999, 5000, 5001, 5002, 32768 })
                {
                    for (var i = 0; i < 200; i++)
                    {
                        var byok = i % 2 == 1;
                        var output = random.NextInt64(0, 4097);
                        var images = random.Next(0, 4);
                        var hold = costs.WorstCase(pricing, byok, bound, output, images);
                        var prompt = i == 0 ? bound : random.NextInt64(0, bound + 1);
                        var cached = random.NextInt64(0, prompt + 1);
                        var completion = i == 0 ? output : random.NextInt64(0, output + 1);
                        var reasoning = random.NextInt64(0, completion + 1);
                        var usage = new BilledTokens(prompt, completion)
                        {
                            CacheRead = cached,
                            CacheWrite = random.NextInt64(0, prompt - cached + 1),
                            Reasoning = reasoning,
                            ImageOutput = random.NextInt64(0, completion - reasoning + 1),
                            Images = images,
                        };

                        var charged = costs.Price(pricing, byok, usage);

                        Assert.True(charged.Charge <= hold.Charge, $"{usage} at {bound} charged {charged.Charge} > hold {hold.Charge}");
                        Assert.True(charged.ListPrice <= hold.ListPrice, $"{usage} at {bound}: list {charged.ListPrice} > {hold.ListPrice}");
                    }
                }
            }
        }
    }
}
