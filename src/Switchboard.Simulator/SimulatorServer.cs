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

    private SimulatorServer(SimulatorApp app, SimulatorState state)
    {
        _app = app.App;
        _state = state;
        BaseAddress = SimulatorApp.BaseAddress(app.Http1[0]);
        Http2BaseAddress = app.Http2.Count > 0 ? SimulatorApp.BaseAddress(app.Http2[0]) : null;
    }

    /// <summary>Bound address with a trailing slash, e.g. <c>http://127.0.0.1:34567/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The cleartext HTTP/2 (prior knowledge) address, when one was asked for.</summary>
    public Uri? Http2BaseAddress { get; }

    public SimulatorRequestLog Requests => _state.Log;

    /// <summary>What <c>GET /{slug}/v1/models</c> answers per provider slug; scriptable between a gateway's polls.</summary>
    public OpenAI.SimulatedModelLists Models => _state.ModelLists;

    /// <summary>
    /// Starts a simulator; port 0 (the default) picks a free port. With <paramref name="http2Url"/> it also listens
    /// there for cleartext HTTP/2 with prior knowledge.
    /// </summary>
    public static async Task<SimulatorServer> StartAsync(
        string url = "http://127.0.0.1:0",
        SimulatorOptions? options = null,
        string? http2Url = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var state = new SimulatorState(options ?? new SimulatorOptions());
        var app = SimulatorHost.Build(new SimulatorHostSettings([url], Standalone: false, [], http2Url is null ? [] : [http2Url]), state);
        try
        {
            await app.App.StartAsync(cancellationToken);
            return new SimulatorServer(app, state);
        }
        catch
        {
            await app.App.DisposeAsync();
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
