namespace Switchboard.Data;

/// <summary>
/// Serialises this process's write transactions when the store is SQLite, which has one writer at a time
/// anyway: waiting here is a cheap in-process queue, while contending for the file lock means SQLite's busy
/// retries. PostgreSQL locks rows, so there the gate is open.
/// </summary>
internal sealed class DatabaseWriteGate(bool serialize)
{
    private readonly SemaphoreSlim? _semaphore = serialize ? new SemaphoreSlim(1, 1) : null;

    public async ValueTask<Releaser> EnterAsync(CancellationToken cancellationToken = default)
    {
        if (_semaphore is not null)
        {
            await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        return new Releaser(_semaphore);
    }

    public readonly struct Releaser(SemaphoreSlim? semaphore) : IDisposable
    {
        public void Dispose() => semaphore?.Release();
    }
}
