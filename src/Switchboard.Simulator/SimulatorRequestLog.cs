using Switchboard.Simulator.Recording;

namespace Switchboard.Simulator;

/// <summary>Bounded, thread-safe record of the upstream calls a simulator received.</summary>
public sealed class SimulatorRequestLog
{
    private readonly Lock _gate = new();
    private readonly Queue<SimulatedRequest> _requests = new();
    private readonly List<RequestWaiter> _waiters = [];
    private readonly int _capacity;
    private long _generation;

    internal SimulatorRequestLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Requests currently held, oldest first.</summary>
    public IReadOnlyList<SimulatedRequest> Snapshot()
    {
        lock (_gate)
        {
            return _requests.ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
            _generation++;
        }
    }

    /// <summary>
    /// Completes with the first request (already recorded or arriving later) that matches.
    /// The predicate is evaluated when a request arrives and again when it completes, so
    /// predicates on <see cref="SimulatedRequest.ClientAborted"/> work; live counters such as
    /// <see cref="SimulatedRequest.EventsSent"/> are only observed at those two moments.
    /// </summary>
    /// <exception cref="TimeoutException">No request matched within <paramref name="timeout"/>.</exception>
    public Task<SimulatedRequest> WaitForAsync(Func<SimulatedRequest, bool> predicate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var waiter = new RequestWaiter(predicate);
        lock (_gate)
        {
            foreach (var request in _requests)
            {
                if (waiter.TryMatch(request))
                {
                    return waiter.Task;
                }
            }

            _waiters.Add(waiter);
        }

        // Armed outside the lock: a zero timeout fires its callback synchronously and re-enters the log.
        waiter.ArmTimeout(timeout, this);
        return waiter.Task;
    }

    internal void Add(SimulatedRequest request)
    {
        lock (_gate)
        {
            request.Generation = _generation;
            _requests.Enqueue(request);
            while (_requests.Count > _capacity)
            {
                _requests.Dequeue();
            }

            NotifyWaiters(request);
        }
    }

    internal void OnCompleted(SimulatedRequest request)
    {
        lock (_gate)
        {
            if (request.Generation == _generation)
            {
                NotifyWaiters(request);
            }
        }
    }

    internal void TimeOut(RequestWaiter waiter, TimeSpan timeout)
    {
        string seen;
        lock (_gate)
        {
            _waiters.Remove(waiter);
            seen = string.Join("; ", _requests.TakeLast(5));
            seen = _requests.Count == 0 ? "none" : $"{_requests.Count} (latest: {seen})";
        }

        waiter.Fail(new TimeoutException($"No simulated request matched within {timeout}. Recorded requests: {seen}."));
    }

    private void NotifyWaiters(SimulatedRequest request)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].TryMatch(request))
            {
                _waiters.RemoveAt(i);
            }
        }
    }
}
