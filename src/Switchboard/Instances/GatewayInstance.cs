namespace Switchboard.Instances;

/// <summary>
/// One running gateway process, as the store knows it: the owner of credit leases and in-flight generations.
/// Each process start inserts its own row under a fresh id (<see cref="InstanceIdentity"/>) and moves
/// <see cref="Beat"/> while it lives; a row whose beat stops moving is a dead process, and any replica reclaims
/// what it owned (<see cref="DeadInstanceReclaimer"/>).
/// </summary>
internal sealed class GatewayInstance
{
    /// <summary><c>{name}-{random}</c>: unique to this process start, so no two processes ever share one.</summary>
    public required string Id { get; set; }

    /// <summary><c>Switchboard:Billing:InstanceName</c>: the machine or pod name, for people reading the table.</summary>
    public required string Name { get; set; }
    public int ProcessId { get; set; }
    public DateTime StartedAt { get; set; }

    /// <summary>The owner's clock at its last beat; shown, never compared across machines.</summary>
    public DateTime HeartbeatAt { get; set; }

    /// <summary>Grows with every heartbeat and every journal batch: liveness is this number moving.</summary>
    public long Beat { get; set; }
}
