namespace Switchboard.Simulator.Hosting;

/// <summary>One request being answered: cancellation, pacing and event accounting for the dialect writers.</summary>
internal sealed class SimulatedExchange : IDisposable
{
    private const int ResetDrainMilliseconds = 50;

    private readonly SimulatedRequest? _record;
    private readonly CancellationToken _stopping;
    private CancellationTokenSource? _waits;

    public SimulatedExchange(HttpContext http, string provider, SimulatedRequest? record, CancellationToken stopping)
    {
        Http = http;
        Provider = provider;
        _record = record;
        _stopping = stopping;
    }

    public HttpContext Http { get; }

    /// <summary>The provider slug from the URL, used to select <c>providers</c> script overrides.</summary>
    public string Provider { get; }

    /// <summary>This simulator's <see cref="SimulatorOptions.DefaultReplySentences"/>, for the static dialect handlers.</summary>
    public int DefaultReplySentences { get; init; } = 1;

    /// <summary>Fires when the client disconnects; used for writes.</summary>
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>Data events written so far; counted here too because recording may be off.</summary>
    public int EventsSent { get; private set; }

    /// <summary>True once the simulator itself reset the connection (so it is not a client abort).</summary>
    public bool ServerAborted { get; private set; }

    // Waits also end on host shutdown; the linked source is created lazily because most requests never wait.
    private CancellationToken WaitToken =>
        (_waits ??= CancellationTokenSource.CreateLinkedTokenSource(Http.RequestAborted, _stopping)).Token;

    public void CountEvent()
    {
        EventsSent++;
        _record?.CountEvent();
    }

    public Task DelayAsync(int milliseconds) =>
        milliseconds <= 0 ? Task.CompletedTask : Task.Delay(milliseconds, WaitToken);

    /// <summary>Never completes normally: ends with cancellation when the client leaves or the host stops.</summary>
    public Task HangAsync() => Task.Delay(Timeout.Infinite, WaitToken);

    /// <summary>
    /// Resets after a pause that lets the client read what was already flushed: a TCP reset makes the
    /// peer's stack discard unread data, so without it the client would often see no events at all.
    /// </summary>
    public async Task ResetAfterDrainAsync()
    {
        await DelayAsync(ResetDrainMilliseconds);
        Reset();
    }

    /// <summary>Drops the connection so the client sees a reset.</summary>
    public void Reset()
    {
        ServerAborted = true;
        _record?.Complete(clientAborted: false);
        Http.Abort();
    }

    public void Dispose() => _waits?.Dispose();
}
