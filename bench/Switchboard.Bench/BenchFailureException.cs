namespace Switchboard.Bench;

/// <summary>A target failed to start, died, or answered a request with an error: the run is invalid.</summary>
internal sealed class BenchFailureException(string message) : Exception(message);
