namespace Switchboard.Simulator.Hosting;

internal static class BoundAddress
{
    /// <summary>
    /// The first address Kestrel actually bound (port 0 resolved), as a base URI with a trailing slash.
    /// Wildcard hosts are not dialable, so they are reported as loopback.
    /// </summary>
    public static Uri Resolve(ICollection<string> addresses)
    {
        var first = addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The simulator did not bind any address.");
        var builder = new UriBuilder(first);
        if (builder.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+")
        {
            builder.Host = "127.0.0.1";
        }

        builder.Path = "/";
        return builder.Uri;
    }
}
