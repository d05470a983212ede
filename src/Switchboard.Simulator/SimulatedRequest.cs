namespace Switchboard.Simulator;

/// <summary>One upstream call as the simulator saw it, updated live while the response is produced.</summary>
public sealed class SimulatedRequest
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SimulatorRequestLog _log;
    private int _eventsSent;
    private int _completed;
    private volatile bool _clientAborted;

    internal SimulatedRequest(
        string provider,
        string path,
        string? authorization,
        IReadOnlyDictionary<string, string> headers,
        string body,
        DateTimeOffset receivedAt,
        SimulatorRequestLog log)
    {
        Provider = provider;
        Path = path;
        Authorization = authorization;
        Headers = headers;
        Body = body;
        ReceivedAt = receivedAt;
        _log = log;
    }

    /// <summary>Path segment before <c>/v1</c> (or <c>/v1beta</c>), or <c>"default"</c> for un-prefixed routes.</summary>
    public string Provider { get; }

    public string Path { get; }

    /// <summary>The HTTP version the request came in on, e.g. <c>HTTP/1.1</c> or <c>HTTP/2</c>.</summary>
    public string Protocol { get; init; } = "";

    /// <summary>Raw <c>Authorization</c> header value as received, or null when absent.</summary>
    public string? Authorization { get; }

    /// <summary>
    /// Request headers, keyed case-insensitively; repeated headers are joined with <c>", "</c>. Lets tests check the
    /// credentials each dialect uses (<c>x-api-key</c>, <c>x-goog-api-key</c>) and headers such as <c>anthropic-version</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Raw request body decoded as UTF-8.</summary>
    public string Body { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Completes when the response finished or the client aborted; never faults.</summary>
    public Task Completion => _completion.Task;

    /// <summary>True when the client went away before the response was complete.</summary>
    public bool ClientAborted => _clientAborted;

    /// <summary>SSE data events (JSON payloads, not <c>[DONE]</c> or comments) written so far.</summary>
    public int EventsSent => Volatile.Read(ref _eventsSent);

    // Lets the log ignore completions of requests that were cleared before they finished.
    internal long Generation { get; set; }

    internal void CountEvent() => Interlocked.Increment(ref _eventsSent);

    internal void Complete(bool clientAborted)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return;
        }

        // Set before completing so awaiting code observes the final state.
        _clientAborted = clientAborted;
        _completion.TrySetResult();
        _log.OnCompleted(this);
    }

    public override string ToString() =>
        $"{Provider} {Path} events={EventsSent} completed={Completion.IsCompleted} client_aborted={ClientAborted}";
}
