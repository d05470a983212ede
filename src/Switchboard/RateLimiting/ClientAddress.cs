using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.RateLimiting;

/// <summary>
/// Who a per-address throttle counts a request against. An IPv4 address (also when it arrives mapped into IPv6) is
/// one client; an IPv6 address counts by its /64, because a single host or home is handed a whole /64 and can use a
/// fresh address from it for every request.
/// </summary>
internal readonly record struct ClientAddress(UInt128 Value)
{
    private const ulong MappedIPv4Prefix = 0xFFFF_0000_0000;

    /// <summary>Connections without an IP address (a Unix socket, an in-memory test server) share one bucket.</summary>
    public static readonly ClientAddress Unknown = new(UInt128.MaxValue);

    public static ClientAddress From(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6)
        {
            // As the IPv4-mapped IPv6 address ::ffff:a.b.c.d, all 128 bits kept: one IPv4 address is one client.
            address.TryWriteBytes(bytes, out var written);
            var v4 = BinaryPrimitives.ReadUInt32BigEndian(bytes[(written - 4)..written]);
            return new ClientAddress(new UInt128(0, MappedIPv4Prefix | v4));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.TryWriteBytes(bytes, out _))
        {
            // Only the /64 prefix; no native IPv6 /64 has low bits, so it never meets a mapped IPv4 address.
            return new ClientAddress(new UInt128(BinaryPrimitives.ReadUInt64BigEndian(bytes), 0));
        }
        return Unknown;
    }
}
