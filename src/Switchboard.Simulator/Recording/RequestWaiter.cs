namespace Switchboard.Simulator.Recording;

/// <summary>One pending <see cref="SimulatorRequestLog.WaitForAsync"/> call.</summary>
internal sealed class RequestWaiter(Func<SimulatedRequest, bool> predicate)
{
    private readonly TaskCompletionSource<SimulatedRequest> _result =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CancellationTokenSource? _timeout;

    public Task<SimulatedRequest> Task => _result.Task;

    /// <summary>Returns true when this waiter is finished (matched, or the predicate threw).</summary>
    public bool TryMatch(SimulatedRequest request)
    {
        try
        {
            if (!predicate(request))
            {
                return false;
            }
        }
        catch (Exception ex)
        {
            // A broken predicate is the test's bug: surface it to the awaiting test, not the request pipeline.
            Fail(ex);
            return true;
        }

        if (_result.TrySetResult(request))
        {
            _timeout?.Dispose();
        }

        return true;
    }

    public void ArmTimeout(TimeSpan timeout, SimulatorRequestLog log)
    {
        if (timeout == System.Threading.Timeout.InfiniteTimeSpan || _result.Task.IsCompleted)
        {
            return;
        }

        var cts = new CancellationTokenSource(timeout);
        _timeout = cts;
        cts.Token.Register(() => log.TimeOut(this, timeout));

        // A match may have raced in between the completion check and the assignment above.
        if (_result.Task.IsCompleted)
        {
            cts.Dispose();
        }
    }

    public void Fail(Exception exception) => _result.TrySetException(exception);
}
