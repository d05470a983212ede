using Switchboard.RateLimiting;

namespace Switchboard.Tests.RateLimiting;

/// <summary>
/// <c>rate_windows</c> in memory with the statements' semantics (a lease grants <c>min(want, limit − count)</c>), shared
/// by several limiters as replicas share the store; it can be made to hang or fail like a store that is down.
/// </summary>
internal sealed class FakeRateWindows : IRateWindows
{
    private readonly Dictionary<(string Scope, long Start), long> _counts = [];

    public int Calls { get; private set; }

    /// <summary>While set, every call waits for its cancellation (a store that does not answer).</summary>
    public bool Hang { get; set; }

    /// <summary>While set, every call throws (a store that refuses connections).</summary>
    public bool Fail { get; set; }

    public long Count(string scope, long start)
    {
        lock (_counts)
        {
            return _counts.GetValueOrDefault((scope, start));
        }
    }

    public async Task<WindowLease> LeaseAsync(WindowSpan window, long want, long limit, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        lock (_counts)
        {
            var count = _counts.GetValueOrDefault((window.Scope, window.Start));
            if (count >= limit)
            {
                return new WindowLease(0, limit);
            }
            var granted = Math.Min(want, limit - count);
            _counts[(window.Scope, window.Start)] = count + granted;
            return new WindowLease(granted, count + granted);
        }
    }

    public async Task<long> AddAsync(WindowSpan window, long amount, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        lock (_counts)
        {
            return _counts[(window.Scope, window.Start)] = _counts.GetValueOrDefault((window.Scope, window.Start)) + amount;
        }
    }

    public async Task AddAllAsync(IReadOnlyList<(WindowSpan Window, long Amount)> additions, CancellationToken cancellationToken)
    {
        foreach (var (window, amount) in additions)
        {
            await AddAsync(window, amount, cancellationToken);
        }
    }

    public async Task<long> ReadAsync(WindowSpan window, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        return Count(window.Scope, window.Start);
    }

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        Calls++;
        if (Fail)
        {
            throw new InvalidOperationException("the store is down");
        }
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
