namespace Switchboard.Health;

/// <summary>p50/p75/p90/p99 of a set of samples, as OpenRouter reports latency and throughput.</summary>
internal sealed record Percentiles(double P50, double P75, double P90, double P99)
{
    public static Percentiles? Of(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        return new Percentiles(At(values, 0.50), At(values, 0.75), At(values, 0.90), At(values, 0.99));
    }

    // Nearest-rank: the smallest sample with at least q of the samples at or below it.
    private static double At(List<double> sorted, double q) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)], 2);
}
