using Switchboard.Simulator.Hosting;

namespace Switchboard.Simulator;

/// <summary>
/// An in-process upstream simulator on a real Kestrel socket. Each provider slug gets its own
/// base URL (<c>{BaseAddress}{slug}/v1</c>) so a gateway can point every provider at one instance.
/// </summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorState _state;
    private int _disposed;

    private SimulatorServer(WebApplication app, SimulatorState state, Uri baseAddress)
    {
        _app = app;
        _state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>Bound address with a trailing slash, e.g. <c>http://127.0.0.1:34567/</c>.</summary>
    public Uri BaseAddress { get; }

    public SimulatorRequestLog Requests => _state.Log;

    /// <summary>Starts a simulator; port 0 (the default) picks a free port.</summary>
    public static async Task<SimulatorServer> StartAsync(
        string url = "http://127.0.0.1:0",
        SimulatorOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var state = new SimulatorState(options ?? new SimulatorOptions());
        var app = SimulatorHost.Build(new SimulatorHostSettings([url], Standalone: false, []), state);
        try
        {
            await app.StartAsync(cancellationToken);
            return new SimulatorServer(app, state, BoundAddress.Resolve(app.Urls));
        }
        catch
        {
            await app.DisposeAsync();
            state.Dispose();
            throw;
        }
    }

    /// <summary><c>{BaseAddress}{providerSlug}/v1</c>, without a trailing slash.</summary>
    public Uri ProviderBaseUrl(string providerSlug)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerSlug);
        return new Uri(BaseAddress, Uri.EscapeDataString(providerSlug) + "/v1");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Dispose();
    }
}
