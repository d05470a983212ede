using Switchboard.Billing;
using Switchboard.Configuration;

namespace Switchboard.Lifecycle;

/// <summary>
/// A graceful stop (SIGTERM, Ctrl+C) in order. When the stop signal comes, the instance turns unready at once
/// (<c>/health</c> answers 503) and refuses new generations, while the server stops accepting connections; the
/// generations in flight run on. At <see cref="ShutdownOptions.DrainTimeout"/> the ones still running are ended:
/// <see cref="Deadline"/> fires, and a stream ends with an error chunk and is charged for what was delivered.
/// Once the server has stopped (every request over), this service, which stops right after it, gives every lease
/// back through the journal; the journal then drains, and the instance deregisters last.
/// </summary>
internal sealed partial class GenerationDrain(
    IHostApplicationLifetime lifetime, ShutdownOptions options, CreditBook book, TimeProvider time, ILogger<GenerationDrain> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _deadline = new(Timeout.InfiniteTimeSpan, time);
    private CancellationTokenRegistration _stopping;

    /// <summary>Set from the stop signal on: the instance takes no new generations.</summary>
    public bool Draining { get; private set; }

    /// <summary>Cancelled at the drain deadline: generations still running end then.</summary>
    public CancellationToken Deadline => _deadline.Token;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(BeginDrain);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        book.ReturnAllLeases();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _deadline.Dispose();
    }

    private void BeginDrain()
    {
        Draining = true;
        Log.Draining(logger, options.DrainTimeout);
        _deadline.CancelAfter(options.DrainTimeout);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Stopping: no new generations; the ones in flight have {DrainTimeout} to finish.")]
        public static partial void Draining(ILogger logger, TimeSpan drainTimeout);
    }
}
