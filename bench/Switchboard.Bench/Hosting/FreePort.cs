using System.Net;
using System.Net.Sockets;

namespace Switchboard.Bench.Hosting;

/// <summary>Picks unused loopback ports for the children. The bench only ever listens on and talks to 127.0.0.1.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
