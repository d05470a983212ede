namespace Switchboard.Bench.Checks;

internal enum CheckOutcome
{
    Pass,
    Fail,

    /// <summary>The figure could not be measured in this run (a target not started, an endpoint missing).</summary>
    NotAvailable,
}

/// <summary>One performance target and how the run did against it, e.g. "sequential added p50 ≤ 150 µs: +92 µs".</summary>
internal sealed record TargetCheck(string Target, CheckOutcome Outcome, string Measured)
{
    public string Line => $"{Label} {Target}: {Measured}";

    private string Label => Outcome switch
    {
        CheckOutcome.Pass => "PASS",
        CheckOutcome.Fail => "FAIL",
        _ => "n/a ",
    };
}
