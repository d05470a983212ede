namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Base of tests on the shared gateway. Endpoint health is reset before each test, so the failures one test
/// provokes never steer another test's routing.
/// </summary>
[Collection(GatewayCollection.Name)]
public abstract class GatewayTest
{
    protected GatewayTest(GatewayFixture fixture)
    {
        Fixture = fixture;
        fixture.Gateway.ResetHealth();
    }

    protected GatewayFixture Fixture { get; }
}
