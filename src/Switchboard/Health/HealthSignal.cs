namespace Switchboard.Health;

/// <summary>What one replica tells the others about an endpoint (stored as its number in <c>endpoint_health</c>).</summary>
internal enum HealthSignal
{
    /// <summary>A provider-side failure that left the circuit closed: rank the endpoint after healthy ones for a while.</summary>
    Failed = 1,

    /// <summary>The circuit opened: skip the endpoint for the cool-down.</summary>
    Opened = 2,

    /// <summary>A request succeeded on an endpoint whose circuit was open: it answers again.</summary>
    Closed = 3,
}
