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

    /// <summary>
    /// Sentences in an unscripted reply. One, the default, is eight words, the token count tests and the load
    /// benchmark were written against; demo mode asks for a few more so a newcomer reads a short answer.
    /// </summary>
    public int DefaultReplySentences { get; init; } = 1;
}
