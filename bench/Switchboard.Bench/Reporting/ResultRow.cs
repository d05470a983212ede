namespace Switchboard.Bench.Reporting;

internal enum FigureUnit
{
    Microseconds,
    Milliseconds,
    PerSecond,

    /// <summary>CPU time of the proxy's processes, per request or per stream.</summary>
    CpuMicroseconds,

    Bytes,
    Count,
}

/// <summary>
/// One figure for one target in one scenario. Latency figures (<see cref="IsLatency"/>) also get the
/// latency the target adds over the direct path. <see cref="double.NaN"/> is a figure the target could not report.
/// </summary>
internal sealed record ResultRow(string Scenario, string Target, string Figure, double Value, FigureUnit Unit)
{
    public bool IsLatency => Unit is FigureUnit.Microseconds or FigureUnit.Milliseconds;
}
