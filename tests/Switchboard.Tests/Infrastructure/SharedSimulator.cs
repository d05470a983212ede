using Switchboard.Simulator;

namespace Switchboard.Tests.Infrastructure;

/// <summary>The one upstream simulator every gateway in the test run talks to (over HTTP/1.1, or h2c on its second port).</summary>
public static class SharedSimulator
{
    private static readonly Lazy<Task<SimulatorServer>> Server = new(() => SimulatorServer.StartAsync(http2Url: "http://127.0.0.1:0"));

    public static Task<SimulatorServer> GetAsync() => Server.Value;
}
