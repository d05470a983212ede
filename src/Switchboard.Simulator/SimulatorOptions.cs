namespace Switchboard.Simulator;

/// <summary>Behaviour switches for a simulator instance.</summary>
public sealed class SimulatorOptions
{
    /// <summary>
    /// Record every upstream call in <see cref="SimulatorServer.Requests"/>. Recording copies the body
    /// into a string and takes a lock per request, so load benchmarks turn it off.
    /// </summary>
    public bool RecordRequests { get; init; } = true;

    /// <summary>Oldest requests are dropped beyond this many, so a long-running simulator stays bounded.</summary>
    public int MaxRecordedRequests { get; init; } = 10_000;
}
