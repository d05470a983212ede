using Switchboard.Simulator;

namespace Switchboard.Tests.Infrastructure;

/// <summary>The gateway most tests share. Tests reset endpoint health first, so no test sees another's failures.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public GatewayFactory Gateway { get; private set; } = null!;

    public SimulatorServer Simulator { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator = await SharedSimulator.GetAsync();
        Gateway = await GatewayFactory.StartAsync();
        Client = Gateway.CreateGatewayClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "Gateway";
}
