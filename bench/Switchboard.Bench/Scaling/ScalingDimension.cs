using System.Globalization;

namespace Switchboard.Bench.Scaling;

/// <summary>What grows along one curve.</summary>
internal enum ScalingAxis
{
    ApiKeys,
    CatalogEndpoints,
    GenerationRecords,
}

/// <summary>One curve: the sizes a dimension is measured at, smallest first.</summary>
internal sealed record ScalingDimension(ScalingAxis Axis, IReadOnlyList<long> Sizes)
{
    public string Title => Axis switch
    {
        ScalingAxis.ApiKeys => "API keys",
        ScalingAxis.CatalogEndpoints => "catalog endpoints",
        _ => "generation records",
    };

    /// <summary>The command-line option that overrides the sizes.</summary>
    public string Option => Axis switch
    {
        ScalingAxis.ApiKeys => "scaling-keys",
        ScalingAxis.CatalogEndpoints => "scaling-endpoints",
        _ => "scaling-records",
    };

    /// <summary>How a step is named in the tables, e.g. <c>1,000,000 keys</c>.</summary>
    public string StepName(long size) => string.Create(CultureInfo.InvariantCulture, $"{size:#,0} ") + Axis switch
    {
        ScalingAxis.ApiKeys => "keys",
        ScalingAxis.CatalogEndpoints => "endpoints",
        _ => "records",
    };

    public string Describe() =>
        $"{Title} {string.Join(", ", Sizes.Select(size => size.ToString("#,0", CultureInfo.InvariantCulture)))}";
}
