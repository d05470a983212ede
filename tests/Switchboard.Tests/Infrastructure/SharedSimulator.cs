using Switchboard.Simulator;

namespace Switchboard.Tests.Infrastructure;

/// <summary>The one upstream simulator every gateway in the test run talks to.</summary>
public static class SharedSimulator
{
    private static readonly Lazy<Task<SimulatorServer>> Server = new(() => SimulatorServer.StartAsync());

    public static Task<SimulatorServer> GetAsync() => Server.Value;
}
