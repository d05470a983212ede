using System.Globalization;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// The scaling phase's curves and effort. Each step gets its own database and catalog, so all steps of a curve
/// run side by side and are measured in interleaved rounds, like the targets of the other scenarios.
/// </summary>
internal sealed record ScalingPlan(IReadOnlyList<ScalingDimension> Dimensions, int Rounds, int RequestsPerStep)
{
    /// <summary>Keys the measured requests are spread over (all of them when a step has fewer).</summary>
    public const int HotKeys = 1_000;

    /// <summary>Keys seeded where keys are not the dimension being grown.</summary>
    public const int BaseKeys = HotKeys;

    /// <summary>Catalog size where the catalog is not the dimension being grown.</summary>
    public const int BaseEndpoints = 10;

    private static readonly ScalingDimension[] Full =
    [
        new(ScalingAxis.ApiKeys, [10, 1_000, 100_000, 1_000_000]),
        new(ScalingAxis.CatalogEndpoints, [10, 100, 1_000, 5_000]),
        new(ScalingAxis.GenerationRecords, [0, 100_000, 1_000_000, 10_000_000]),
    ];

    private static readonly ScalingDimension[] Quick =
    [
        new(ScalingAxis.ApiKeys, [10, 1_000, 100_000]),
        new(ScalingAxis.CatalogEndpoints, [10, 500, 5_000]),
        new(ScalingAxis.GenerationRecords, [0, 100_000, 1_000_000]),
    ];

    /// <summary>Blocks a round's requests per step are sent in, alternating between the steps.</summary>
    public const int BlocksPerRound = 5;

    public int RequestsPerBlock => Math.Max(1, RequestsPerStep / BlocksPerRound);

    public string Describe() => $"{string.Join("; ", Dimensions.Select(d => d.Describe()))}; {Rounds} rounds x {RequestsPerStep} requests per step";

    /// <summary>
    /// <c>--scaling full|quick|off</c>, then per curve an optional list of sizes (<c>--scaling-keys 10,1000,10000</c>)
    /// or <c>off</c> to skip it. Null when nothing is left to run.
    /// </summary>
    public static ScalingPlan? Parse(string mode, Func<string, string?> sizes, int rounds, int requestsPerStep)
    {
        ScalingDimension[] defaults = mode switch
        {
            "full" => Full,
            "quick" => Quick,
            "off" => [],
            _ => throw new UsageException($"--scaling: expected full, quick or off, got '{mode}'"),
        };
        var dimensions = new List<ScalingDimension>();
        foreach (var dimension in defaults)
        {
            var text = sizes(dimension.Option);
            if (text == "off")
            {
                continue;
            }

            dimensions.Add(text is null ? dimension : dimension with { Sizes = ParseSizes(dimension, text) });
        }

        return dimensions.Count == 0 ? null : new ScalingPlan(dimensions, rounds, requestsPerStep);
    }

    private static long[] ParseSizes(ScalingDimension dimension, string text)
    {
        var sizes = text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            long.TryParse(part.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                ? size
                : throw new UsageException($"--{dimension.Option}: '{part}' is not a size")).ToArray();
        if (sizes.Length < 2 || sizes.Zip(sizes.Skip(1)).Any(pair => pair.First >= pair.Second))
        {
            throw new UsageException($"--{dimension.Option}: expected at least two sizes in increasing order, or off, got '{text}'");
        }

        var invalid = dimension.Axis switch
        {
            ScalingAxis.ApiKeys => sizes.FirstOrDefault(size => size is < 1 or > int.MaxValue, -1),
            ScalingAxis.CatalogEndpoints => sizes.FirstOrDefault(size => size < ScalingCatalog.EndpointsPerModel || size % ScalingCatalog.EndpointsPerModel != 0, -1),
            _ => -1,
        };
        return invalid == -1
            ? sizes
            : throw new UsageException($"--{dimension.Option}: {invalid} is not a valid size (keys: at least 1; endpoints: a multiple of {ScalingCatalog.EndpointsPerModel})");
    }
}
