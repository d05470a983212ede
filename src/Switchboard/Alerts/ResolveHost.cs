using System.Net;

namespace Switchboard.Alerts;

/// <summary>
/// Resolves a host name to its addresses (<see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>), a
/// service of its own so tests can play a DNS server that changes its answers.
/// </summary>
internal delegate Task<IPAddress[]> ResolveHost(string host, CancellationToken cancellationToken);
