using System.Runtime.InteropServices;

namespace Switchboard.Bench.Hosting;

/// <summary>Turns Ctrl+C, SIGTERM and SIGHUP into cancellation, so the run unwinds and its children are killed.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
        ];
    }

    public CancellationToken Token => _source.Token;

    public bool Requested => _source.IsCancellationRequested;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive long enough to unwind; a second signal finds the token already cancelled.
        context.Cancel = !_source.IsCancellationRequested;
        Console.Error.WriteLine($"{context.Signal}: stopping the benchmark and its child processes…");
        _source.Cancel();
        if (!context.Cancel)
        {
            ChildProcesses.KillAll();
        }
    }
}
