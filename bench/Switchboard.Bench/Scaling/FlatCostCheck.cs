using System.Globalization;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// "Does not grow measurably", made testable on a shared, noisy 2-core machine: a per-request figure at the largest
/// step may exceed the smallest step's by at most 25 % or 25 µs, whichever is more. The relative part absorbs the
/// noise of a slow request path; the absolute part the noise of a fast one, where 25 % is only a few microseconds.
/// Both figures are medians over interleaved rounds, so a burst of load elsewhere moves every step alike.
/// </summary>
internal sealed record FlatCostCheck(string Curve, string Figure, string SmallestStep, double Smallest, string LargestStep, double Largest)
{
    public const double RelativeTolerance = 0.25;
    public const double AbsoluteToleranceMicroseconds = 25;

    public double Limit => Smallest + Math.Max(Math.Abs(Smallest) * RelativeTolerance, AbsoluteToleranceMicroseconds);

    public bool Passed => Largest <= Limit;

    /// <summary>The verdict's name in the list of target checks.</summary>
    public string Target => $"flat cost vs {Curve}, {Figure}";

    public string Measured => string.Create(CultureInfo.InvariantCulture,
        $"{Largest:#,0.0} µs at {LargestStep} vs {Smallest:#,0.0} µs at {SmallestStep}, {Largest - Smallest:+#,0.0;-#,0.0;0.0} µs " +
        $"({Growth}; target ≤ {Limit:#,0.0} µs, max(+{RelativeTolerance:0%}, +{AbsoluteToleranceMicroseconds:0} µs))");

    public string Describe() => $"{(Passed ? "PASS" : "FAIL")} {Target}: {Measured}";

    private string Growth => Smallest == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{(Largest / Smallest - 1) * 100:+0.0;-0.0;0.0} %");
}
