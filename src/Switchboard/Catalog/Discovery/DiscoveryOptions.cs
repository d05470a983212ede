namespace Switchboard.Catalog.Discovery;

/// <summary>
/// <c>Switchboard:Discovery</c>: how often providers marked for discovery are asked for their models. Which providers
/// are asked is the catalog's <c>discovery</c> field or <c>Switchboard:Providers:{slug}:Discovery</c>.
/// </summary>
internal sealed class DiscoveryOptions
{
    /// <summary>Time between two polls of every discovering provider.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for one provider's answer, the whole body read included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long start-up waits for the first poll, so a server that is up is served from the first request. A server
    /// that is down or slow delays start-up by this much at most; 0 does not wait.
    /// </summary>
    public TimeSpan StartupWait { get; set; } = TimeSpan.FromSeconds(2);
}
