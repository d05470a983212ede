using System.Net;

namespace Switchboard.Alerts;

/// <summary>
/// <c>Switchboard:Alerts:AllowedWebhookHosts</c>: the internal hosts the operator lets accounts' webhooks reach.
/// Each entry is a host name (exact, any case), an IP address, or a CIDR range. A named host may resolve to
/// anything; an address or range allows those addresses whatever name led to them.
/// </summary>
internal sealed class WebhookAllowList
{
    private readonly HashSet<string> _names;
    private readonly AddressRange[] _ranges;

    private WebhookAllowList(HashSet<string> names, AddressRange[] ranges)
    {
        _names = names;
        _ranges = ranges;
    }

    public static WebhookAllowList Empty { get; } = new([], []);

    /// <summary>The list, skipping entries that are none of the three (each added to <paramref name="problems"/>).</summary>
    public static WebhookAllowList Parse(IReadOnlyList<string> entries, string key, List<string>? problems = null)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var ranges = new List<AddressRange>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i]?.Trim() ?? "";
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                if (AddressRange.TryParse(entry, out var range))
                {
                    ranges.Add(range);
                    continue;
                }
            }
            else if (IPAddress.TryParse(entry.Trim('[', ']'), out var address))
            {
                ranges.Add(AddressRange.Of(Canonical(address)));
                continue;
            }
            else if (Uri.CheckHostName(entry.TrimEnd('.')) == UriHostNameType.Dns)
            {
                names.Add(WebhookHostGuard.Normalize(entry));
                continue;
            }
            problems?.Add($"{key}:{i} '{entry}' is not a host name, an IP address or a CIDR range such as 10.0.0.0/8 (with no bits set past the prefix).");
        }
        return new WebhookAllowList(names, [.. ranges]);
    }

    /// <param name="host">A host as <see cref="WebhookHostGuard.Normalize"/> leaves it.</param>
    public bool AllowsName(string host) => _names.Contains(host);

    public bool Allows(IPAddress address)
    {
        address = Canonical(address);
        foreach (var range in _ranges)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>An IPv4-mapped address as the IPv4 address it is, so 127.0.0.1 in the list covers ::ffff:127.0.0.1.</summary>
    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
