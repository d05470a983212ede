using System.Globalization;

namespace Switchboard.Bench.Catalog;

/// <summary>
/// The catalog phase's sizes and effort: the shipped catalog and synthetic ones of so many models, each started
/// <see cref="Starts"/> times from cold and then asked for its listings in <see cref="Rounds"/> interleaved rounds.
/// </summary>
internal sealed record CatalogPlan(IReadOnlyList<int> ModelCounts, bool Shipped, int Starts, int Rounds, int RequestsPerTurn)
{
    /// <summary><c>--catalog-models</c> unless given: the shipped catalog, then 1,000 and 5,000 models.</summary>
    public const string DefaultModels = "shipped,1000,5000";

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(',', Names)}; {Starts} cold starts, {Rounds} rounds x {RequestsPerTurn} requests per listing");

    public IEnumerable<string> Names =>
        (Shipped ? ["shipped"] : Array.Empty<string>()).Concat(ModelCounts.Select(count => count.ToString(CultureInfo.InvariantCulture)));

    /// <summary><c>shipped</c> and model counts, comma-separated, or <c>off</c>; null when nothing is left to run.</summary>
    public static CatalogPlan? Parse(string text, int starts, int rounds, int requestsPerTurn)
    {
        if (text == "off")
        {
            return null;
        }

        var shipped = false;
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "shipped")
            {
                shipped = true;
            }
            else if (int.TryParse(part.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1)
            {
                counts.Add(count);
            }
            else
            {
                throw new UsageException($"--catalog-models: expected shipped and model counts of at least 1, or off, got '{text}'");
            }
        }

        return shipped || counts.Count > 0 ? new CatalogPlan([.. counts.Distinct().Order()], shipped, starts, rounds, requestsPerTurn) : null;
    }
}
