using System.Net;

namespace Switchboard.Alerts;

/// <summary>
/// Classifies addresses by the IANA special-purpose registries (RFC 6890 and successors), so a tenant's webhook can
/// reach only the public internet. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are
/// judged by the address they carry: <c>::ffff:127.0.0.1</c> is as much loopback as <c>127.0.0.1</c>.
/// </summary>
internal static class AddressScopes
{
    /// <summary>First match wins, so single addresses come before the ranges that hold them.</summary>
    private static readonly (AddressRange Range, AddressScope Scope)[] V4 =
    [
        // The cloud metadata services: AWS, GCP, Azure, OpenStack (link-local), Alibaba (shared space) and Azure's
        // wire server, which is public space and so needs naming.
        (AddressRange.Parse("169.254.169.254/32"), AddressScope.Metadata),
        (AddressRange.Parse("100.100.100.200/32"), AddressScope.Metadata),
        (AddressRange.Parse("168.63.129.16/32"), AddressScope.Metadata),
        (AddressRange.Parse("0.0.0.0/32"), AddressScope.Unspecified),
        (AddressRange.Parse("255.255.255.255/32"), AddressScope.Broadcast),
        // "This network": Linux connects 0.x.y.z to the local host.
        (AddressRange.Parse("0.0.0.0/8"), AddressScope.Reserved),
        (AddressRange.Parse("10.0.0.0/8"), AddressScope.Private),
        (AddressRange.Parse("100.64.0.0/10"), AddressScope.SharedAddressSpace),
        (AddressRange.Parse("127.0.0.0/8"), AddressScope.Loopback),
        (AddressRange.Parse("169.254.0.0/16"), AddressScope.LinkLocal),
        (AddressRange.Parse("172.16.0.0/12"), AddressScope.Private),
        // IETF protocol assignments (Oracle Cloud's metadata, 192.0.0.192, is here too).
        (AddressRange.Parse("192.0.0.0/24"), AddressScope.Reserved),
        (AddressRange.Parse("192.0.2.0/24"), AddressScope.Documentation),
        (AddressRange.Parse("192.88.99.0/24"), AddressScope.Reserved),
        (AddressRange.Parse("192.168.0.0/16"), AddressScope.Private),
        (AddressRange.Parse("198.18.0.0/15"), AddressScope.Benchmarking),
        (AddressRange.Parse("198.51.100.0/24"), AddressScope.Documentation),
        (AddressRange.Parse("203.0.113.0/24"), AddressScope.Documentation),
        (AddressRange.Parse("224.0.0.0/4"), AddressScope.Multicast),
        (AddressRange.Parse("240.0.0.0/4"), AddressScope.Reserved),
    ];

    private static readonly (AddressRange Range, AddressScope Scope)[] V6 =
    [
        (AddressRange.Parse("::/128"), AddressScope.Unspecified),
        (AddressRange.Parse("::1/128"), AddressScope.Loopback),
        (AddressRange.Parse("fd00:ec2::254/128"), AddressScope.Metadata), // AWS's metadata service over IPv6
        (AddressRange.Parse("64:ff9b:1::/48"), AddressScope.Private), // NAT64 for local use (RFC 8215)
        (AddressRange.Parse("100::/64"), AddressScope.Reserved), // discard-only
        (AddressRange.Parse("2001:2::/48"), AddressScope.Benchmarking),
        // IETF protocol assignments, Teredo (which hides an IPv4 address) among them.
        (AddressRange.Parse("2001::/23"), AddressScope.Reserved),
        (AddressRange.Parse("2001:db8::/32"), AddressScope.Documentation),
        (AddressRange.Parse("3fff::/20"), AddressScope.Documentation),
        (AddressRange.Parse("5f00::/16"), AddressScope.Reserved), // segment routing (SRv6) identifiers
        (AddressRange.Parse("fc00::/7"), AddressScope.Private), // unique local
        (AddressRange.Parse("fe80::/10"), AddressScope.LinkLocal),
        (AddressRange.Parse("fec0::/10"), AddressScope.Private), // site-local, deprecated
        (AddressRange.Parse("ff00::/8"), AddressScope.Multicast),
    ];

    /// <summary>Forms whose last 32 bits are an IPv4 address; their scope is that address's.</summary>
    private static readonly AddressRange Mapped = AddressRange.Parse("::ffff:0:0/96");
    private static readonly AddressRange Nat64 = AddressRange.Parse("64:ff9b::/96");

    /// <summary>Deprecated forms with an IPv4 address in their last 32 bits: reserved even when it is public.</summary>
    private static readonly AddressRange Compatible = AddressRange.Parse("::/96");
    private static readonly AddressRange Translated = AddressRange.Parse("::ffff:0:0:0/96");

    /// <summary>6to4 carries an IPv4 address in bits 16 to 47.</summary>
    private static readonly AddressRange SixToFour = AddressRange.Parse("2002::/16");

    /// <summary>The whole of today's global unicast space; anything outside it that no rule names is reserved.</summary>
    private static readonly AddressRange GlobalUnicast = AddressRange.Parse("2000::/3");

    public static AddressScope Of(IPAddress address)
    {
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return Match(V4, address) ?? AddressScope.Public;
        }
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return AddressScope.Reserved;
        }
        if (Match(V6, address) is { } named)
        {
            return named;
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (Mapped.Contains(address) || Nat64.Contains(address))
        {
            return Of(new IPAddress(bytes[12..]));
        }
        if (Compatible.Contains(address) || Translated.Contains(address))
        {
            return Of(new IPAddress(bytes[12..])) is var embedded && embedded != AddressScope.Public ? embedded : AddressScope.Reserved;
        }
        if (SixToFour.Contains(address))
        {
            return Of(new IPAddress(bytes[2..6]));
        }
        return GlobalUnicast.Contains(address) ? AddressScope.Public : AddressScope.Reserved;
    }

    /// <summary>"a loopback address" and so on, for messages.</summary>
    public static string Describe(AddressScope scope) => scope switch
    {
        AddressScope.Public => "a public address",
        AddressScope.Unspecified => "the unspecified address",
        AddressScope.Loopback => "a loopback address",
        AddressScope.Private => "a private address",
        AddressScope.SharedAddressSpace => "a carrier-grade NAT (shared) address",
        AddressScope.LinkLocal => "a link-local address",
        AddressScope.Metadata => "a cloud metadata address",
        AddressScope.Multicast => "a multicast address",
        AddressScope.Broadcast => "the broadcast address",
        AddressScope.Documentation => "a documentation address",
        AddressScope.Benchmarking => "a benchmarking address",
        _ => "a reserved address",
    };

    private static AddressScope? Match((AddressRange Range, AddressScope Scope)[] table, IPAddress address)
    {
        foreach (var (range, scope) in table)
        {
            if (range.Contains(address))
            {
                return scope;
            }
        }
        return null;
    }
}
