namespace Switchboard.Health;

/// <summary>
/// The latest <see cref="HealthSignal"/> any replica published for one endpoint (table <c>endpoint_health</c>).
/// <see cref="Version"/> grows with every publication, so a replica applies each one once; <see cref="ChangedAt"/>
/// is the store's clock, so replicas whose clocks disagree still agree on how old a signal is.
/// </summary>
internal sealed class EndpointHealthRow
{
    /// <summary><see cref="FleetHealthExchange.KeyOf"/>: the model id and the endpoint's provider tag.</summary>
    public required string Key { get; set; }
    public long Version { get; set; }

    /// <summary>The instance identity that published it.</summary>
    public required string Instance { get; set; }
    public int Signal { get; set; }
    public DateTime ChangedAt { get; set; }
}
