using System.Globalization;

namespace Switchboard.Bench.Checks;

/// <summary>
/// Every pass/fail verdict of a run, printed after the summary table; one miss makes the bench exit non-zero.
/// Any phase can add its own: <see cref="AtMost"/> and <see cref="AtLeast"/> for a figure against a limit, or
/// <see cref="Add"/> for a verdict it worked out itself. A figure that could not be measured is reported, not failed.
/// </summary>
internal sealed class TargetChecks
{
    private readonly List<TargetCheck> _checks = [];

    public IReadOnlyList<TargetCheck> All => _checks;

    public bool AnyFailed => _checks.Exists(check => check.Outcome == CheckOutcome.Fail);

    public void Add(string target, bool passed, string measured) =>
        _checks.Add(new TargetCheck(target, passed ? CheckOutcome.Pass : CheckOutcome.Fail, measured));

    public void NotAvailable(string target, string why) => _checks.Add(new TargetCheck(target, CheckOutcome.NotAvailable, why));

    /// <param name="value">null or NaN when the figure was not measured.</param>
    /// <param name="format">Formats the value and the limit for the report, e.g. as µs or MiB.</param>
    public void AtMost(string target, double? value, double limit, Func<double, string> format) =>
        Compare(target, value, limit, format, value <= limit, "≤");

    public void AtLeast(string target, double? value, double limit, Func<double, string> format) =>
        Compare(target, value, limit, format, value >= limit, "≥");

    private void Compare(string target, double? value, double limit, Func<double, string> format, bool passed, string relation)
    {
        if (value is not { } measured || double.IsNaN(measured))
        {
            NotAvailable(target, "not measured in this run");
            return;
        }

        Add(target, passed, string.Create(CultureInfo.InvariantCulture, $"{format(measured)} (target {relation} {format(limit)})"));
    }
}
