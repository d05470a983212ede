using System.Net;

namespace Switchboard.Security;

/// <summary><c>Switchboard:Network</c>: what the gateway may believe about the network in front of it.</summary>
internal sealed class NetworkOptions
{
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>
    /// <c>Strict-Transport-Security: max-age</c> on every HTTPS response (directly, or through a trusted proxy's
    /// <c>X-Forwarded-Proto: https</c>); zero turns the header off. Never sent over plain HTTP, where it means nothing.
    /// </summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Adds <c>includeSubDomains</c>: only when every subdomain of the gateway's host is served over HTTPS.</summary>
    public bool HstsIncludeSubDomains { get; set; }

    /// <summary>
    /// Gives Kestrel's own rejections (malformed request lines and headers, 414, 431) a body in our error shape, through
    /// a wrapper around every connection's output (<see cref="Api.KestrelRejectionBodies"/>). Off by default: with
    /// 10,000 concurrent streams the wrapper made 4,200 of them miss the benchmark's deadline (0 without it), and
    /// these rejections come from broken clients, which get the right status either way.
    /// </summary>
    public bool RejectionBodies { get; set; }

    public IEnumerable<string> Problems(string section)
    {
        foreach (var proxy in ForwardedHeaders.KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                yield return $"{section}:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address.";
            }
        }
        foreach (var network in ForwardedHeaders.KnownNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return $"{section}:ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation such as 10.0.0.0/8.";
            }
        }
        if (HstsMaxAge < TimeSpan.Zero)
        {
            yield return $"{section}:HstsMaxAge must be zero (off) or more.";
        }
    }
}

/// <summary>
/// <c>Switchboard:Network:ForwardedHeaders</c>: the proxies (load balancers, ingress) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed. None by default: from anyone else those headers are ignored, or any client
/// could claim another address or that its plain-HTTP request was HTTPS.
/// </summary>
internal sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c> or <c>fd00::5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool IsConfigured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
