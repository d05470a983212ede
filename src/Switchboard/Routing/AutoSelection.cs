using Switchboard.Catalog;

namespace Switchboard.Routing;

/// <summary>
/// <c>openrouter/auto</c>'s ranking of eligible candidates, deterministic: by health tier first (a candidate's best
/// eligible endpoint: healthy, failed recently, circuit open, no credential), then within a tier by the preference:
/// <list type="bullet">
/// <item><c>quality</c>: list order.</item>
/// <item><c>cost</c>: price (the cheapest eligible endpoint's prompt + completion price), ties by list order.</item>
/// <item><c>balanced</c>: those priced at most the tier's median price (the lower median for an even count) in
/// list order, then the rest in list order: the best-ranked model among the cheaper half.</item>
/// </list>
/// </summary>
internal static class AutoSelection
{
    /// <param name="Rank">Position in the configured list: 0 is the best quality.</param>
    /// <param name="Tier">0 healthy, 1 failed recently, 2 circuit open, 3 no credential.</param>
    /// <param name="Price">USD per million prompt plus completion tokens of its cheapest eligible endpoint in that tier.</param>
    public readonly record struct Eligible(CatalogModel Model, int Rank, int Tier, decimal Price);

    public static List<Eligible> Order(List<Eligible> eligible, AutoPreference preference)
    {
        eligible.Sort(static (a, b) => a.Tier != b.Tier ? a.Tier.CompareTo(b.Tier) : a.Rank.CompareTo(b.Rank));
        if (preference == AutoPreference.Quality)
        {
            return eligible;
        }
        var ordered = new List<Eligible>(eligible.Count);
        var start = 0;
        while (start < eligible.Count)
        {
            var end = start;
            while (end < eligible.Count && eligible[end].Tier == eligible[start].Tier)
            {
                end++;
            }
            var tier = eligible.GetRange(start, end - start);
            if (preference == AutoPreference.Cost)
            {
                tier.Sort(static (a, b) => a.Price != b.Price ? a.Price.CompareTo(b.Price) : a.Rank.CompareTo(b.Rank));
                ordered.AddRange(tier);
            }
            else
            {
                var median = Median(tier);
                ordered.AddRange(tier.Where(c => c.Price <= median));
                ordered.AddRange(tier.Where(c => c.Price > median));
            }
            start = end;
        }
        return ordered;
    }

    /// <summary>The lower median price: with two candidates, the cheaper one's.</summary>
    private static decimal Median(List<Eligible> tier)
    {
        var prices = tier.Select(c => c.Price).Order().ToList();
        return prices[(prices.Count - 1) / 2];
    }
}
