using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Alerts;

/// <summary>
/// A CIDR range, matched byte by byte. Not <see cref="IPNetwork"/>: on .NET 10 its <c>Contains</c> gets
/// IPv4-mapped IPv6 addresses wrong (it reports <c>::ffff:10.0.0.5</c> inside <c>2000::/3</c> and outside
/// <c>::ffff:0:0/96</c>), which is exactly the kind of address this code exists to catch.
/// </summary>
internal sealed class AddressRange
{
    private readonly byte[] _prefix;
    private readonly AddressFamily _family;

    private AddressRange(byte[] prefix, int length, AddressFamily family)
    {
        _prefix = prefix;
        Length = length;
        _family = family;
    }

    /// <summary>The prefix length in bits.</summary>
    public int Length { get; }

    /// <summary>A single address: /32 or /128.</summary>
    public static AddressRange Of(IPAddress address) => new(address.GetAddressBytes(), address.GetAddressBytes().Length * 8, address.AddressFamily);

    /// <summary>For the ranges this code spells out itself.</summary>
    public static AddressRange Parse(string cidr) => TryParse(cidr, out var range) ? range : throw new FormatException($"'{cidr}' is not a CIDR range.");

    /// <summary>
    /// <c>address/length</c>, with no bits set past the prefix: <c>10.0.0.1/8</c> is refused rather than read as
    /// <c>10.0.0.0/8</c>, since whoever wrote it likely meant something else.
    /// </summary>
    public static bool TryParse(string cidr, out AddressRange range)
    {
        range = null!;
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            || !int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return false;
        }
        var bytes = address.GetAddressBytes();
        if (length > bytes.Length * 8)
        {
            return false;
        }
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }
        range = new AddressRange(bytes, length, address.AddressFamily);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != _family)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        var whole = Length / 8;
        if (!bytes[..whole].SequenceEqual(_prefix.AsSpan(0, whole)))
        {
            return false;
        }
        var rest = Length % 8;
        if (rest == 0)
        {
            return true;
        }
        var mask = (byte)(0xFF << (8 - rest));
        return whole < written && (bytes[whole] & mask) == _prefix[whole];
    }
}
