namespace Switchboard.Alerts;

/// <summary>
/// Where an IP address leads, as far as an outgoing request on a tenant's behalf is concerned: only
/// <see cref="Public"/> may be reached without the operator's say-so. See <see cref="AddressScopes.Of"/>.
/// </summary>
internal enum AddressScope
{
    Public,
    Unspecified,
    Loopback,
    Private,
    SharedAddressSpace,
    LinkLocal,
    Metadata,
    Multicast,
    Broadcast,
    Documentation,
    Benchmarking,
    Reserved,
}
