namespace Switchboard.Simulator.Hosting;

/// <summary>
/// Lifetime for a simulator inside another process: the owner stops it by disposing, so it must not
/// hook Ctrl+C/SIGTERM the way the default console lifetime would.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
