using System.Net;
using Switchboard.Alerts;

namespace Switchboard.Tests.Alerts;

/// <summary>
/// The address classifier behind the webhook guard: every special-purpose range, in each spelling an address can
/// take (IPv4, IPv6, IPv4 inside IPv6, and the inet_aton forms <see cref="IPAddress.Parse(string)"/> accepts).
/// </summary>
public sealed class AddressScopesTests
{
    [Theory]
    [InlineData("127.0.0.1", nameof(AddressScope.Loopback))]
    [InlineData("127.255.255.254", nameof(AddressScope.Loopback))]
    [InlineData("::1", nameof(AddressScope.Loopback))]
    [InlineData("10.0.0.5", nameof(AddressScope.Private))]
    [InlineData("172.16.0.1", nameof(AddressScope.Private))]
    [InlineData("172.31.255.255", nameof(AddressScope.Private))]
    [InlineData("192.168.1.1", nameof(AddressScope.Private))]
    [InlineData("fc00::1", nameof(AddressScope.Private))]
    [InlineData("fd12:3456::1", nameof(AddressScope.Private))]
    [InlineData("fec0::1", nameof(AddressScope.Private))]
    [InlineData("64:ff9b:1::a00:5", nameof(AddressScope.Private))]
    [InlineData("100.64.0.1", nameof(AddressScope.SharedAddressSpace))]
    [InlineData("100.127.255.255", nameof(AddressScope.SharedAddressSpace))]
    [InlineData("169.254.0.1", nameof(AddressScope.LinkLocal))]
    [InlineData("fe80::1", nameof(AddressScope.LinkLocal))]
    [InlineData("fe80::1%2", nameof(AddressScope.LinkLocal))]
    [InlineData("169.254.169.254", nameof(AddressScope.Metadata))]
    [InlineData("fd00:ec2::254", nameof(AddressScope.Metadata))]
    [InlineData("100.100.100.200", nameof(AddressScope.Metadata))]
    [InlineData("168.63.129.16", nameof(AddressScope.Metadata))]
    [InlineData("224.0.0.1", nameof(AddressScope.Multicast))]
    [InlineData("239.255.255.250", nameof(AddressScope.Multicast))]
    [InlineData("ff02::1", nameof(AddressScope.Multicast))]
    [InlineData("0.0.0.0", nameof(AddressScope.Unspecified))]
    [InlineData("::", nameof(AddressScope.Unspecified))]
    [InlineData("255.255.255.255", nameof(AddressScope.Broadcast))]
    [InlineData("0.1.2.3", nameof(AddressScope.Reserved))]
    [InlineData("192.0.0.192", nameof(AddressScope.Reserved))]
    [InlineData("192.88.99.1", nameof(AddressScope.Reserved))]
    [InlineData("240.0.0.1", nameof(AddressScope.Reserved))]
    [InlineData("100::1", nameof(AddressScope.Reserved))]
    [InlineData("2001::1", nameof(AddressScope.Reserved))] // Teredo
    [InlineData("5f00::1", nameof(AddressScope.Reserved))]
    [InlineData("4000::1", nameof(AddressScope.Reserved))] // outside 2000::/3
    [InlineData("192.0.2.1", nameof(AddressScope.Documentation))]
    [InlineData("198.51.100.1", nameof(AddressScope.Documentation))]
    [InlineData("203.0.113.1", nameof(AddressScope.Documentation))]
    [InlineData("2001:db8::1", nameof(AddressScope.Documentation))]
    [InlineData("3fff::1", nameof(AddressScope.Documentation))]
    [InlineData("198.18.0.1", nameof(AddressScope.Benchmarking))]
    [InlineData("198.19.255.255", nameof(AddressScope.Benchmarking))]
    [InlineData("2001:2::1", nameof(AddressScope.Benchmarking))]
    [InlineData("93.184.215.14", nameof(AddressScope.Public))]
    [InlineData("8.8.8.8", nameof(AddressScope.Public))]
    [InlineData("172.32.0.1", nameof(AddressScope.Public))]
    [InlineData("100.128.0.1", nameof(AddressScope.Public))]
    [InlineData("2606:4700:4700::1111", nameof(AddressScope.Public))]
    [InlineData("2a00:1450:4001::200e", nameof(AddressScope.Public))]
    public void Of_classifies_each_special_purpose_range(string address, string expected) =>
        Assert.Equal(Enum.Parse<AddressScope>(expected), AddressScopes.Of(IPAddress.Parse(address)));

    /// <summary>IPv6 that carries an IPv4 address is judged by the address it carries.</summary>
    [Theory]
    [InlineData("::ffff:127.0.0.1", nameof(AddressScope.Loopback))] // mapped
    [InlineData("::ffff:7f00:1", nameof(AddressScope.Loopback))] // mapped, in hex
    [InlineData("::ffff:169.254.169.254", nameof(AddressScope.Metadata))]
    [InlineData("::ffff:10.0.0.5", nameof(AddressScope.Private))]
    [InlineData("::ffff:0.0.0.0", nameof(AddressScope.Unspecified))]
    [InlineData("::127.0.0.1", nameof(AddressScope.Loopback))] // compatible (deprecated)
    [InlineData("::10.0.0.5", nameof(AddressScope.Private))]
    [InlineData("::8.8.8.8", nameof(AddressScope.Reserved))] // compatible is deprecated even for a public address
    [InlineData("::ffff:0:127.0.0.1", nameof(AddressScope.Loopback))] // translated (SIIT)
    [InlineData("64:ff9b::10.0.0.5", nameof(AddressScope.Private))] // NAT64, well-known prefix
    [InlineData("64:ff9b::169.254.169.254", nameof(AddressScope.Metadata))]
    [InlineData("64:ff9b::8.8.8.8", nameof(AddressScope.Public))] // NAT64 to a public address: how IPv6-only hosts reach IPv4
    [InlineData("2002:7f00:1::1", nameof(AddressScope.Loopback))] // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1", nameof(AddressScope.Metadata))] // 6to4 of 169.254.169.254
    [InlineData("2002:808:808::1", nameof(AddressScope.Public))]
    [InlineData("::ffff:8.8.8.8", nameof(AddressScope.Public))]
    public void Of_judges_IPv6_that_carries_an_IPv4_address_by_that_address(string address, string expected) =>
        Assert.Equal(Enum.Parse<AddressScope>(expected), AddressScopes.Of(IPAddress.Parse(address)));

    /// <summary>The spellings inet_aton (and so the resolver) accepts: decimal, octal, hex, and short forms.</summary>
    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.0.0.1", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("2852039166", "169.254.169.254")]
    [InlineData("0xa9fea9fe", "169.254.169.254")]
    [InlineData("10.5", "10.0.0.5")]
    public void Every_spelling_of_an_IPv4_address_is_that_address(string spelling, string address)
    {
        Assert.True(IPAddress.TryParse(spelling, out var parsed));
        Assert.Equal(IPAddress.Parse(address), parsed);
        Assert.NotEqual(AddressScope.Public, AddressScopes.Of(parsed));
    }
}
