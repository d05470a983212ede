using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.Simulator;

namespace Switchboard.Demo;

/// <summary>
/// Demo mode (<c>--demo</c> or <c>Switchboard:Demo=true</c>): the built-in upstream simulator runs in-process on a
/// loopback port and every provider points at it, so a newcomer can send real requests with no provider account.
/// </summary>
internal sealed class DemoUpstream : IAsyncDisposable
{
    private readonly SimulatorServer? _simulator;

    public DemoUpstream(IOptions<SwitchboardOptions> options)
    {
        if (options.Value.Demo)
        {
            // Started while the provider registry is built, before Kestrel accepts requests; start-up is the one
            // place where blocking on it is harmless.
            // Three sentences: the opener that says the reply is simulated, then two that read like an answer.
            _simulator = SimulatorServer.StartAsync(options: new SimulatorOptions { RecordRequests = false, DefaultReplySentences = 3 })
                .GetAwaiter().GetResult();
        }
    }

    public bool IsEnabled => _simulator is not null;

    public Uri BaseUrlFor(string providerSlug) =>
        _simulator?.ProviderBaseUrl(providerSlug) ?? throw new InvalidOperationException("Demo mode is off.");

    public ValueTask DisposeAsync() => _simulator?.DisposeAsync() ?? ValueTask.CompletedTask;
}
