using System.Net;
using System.Net.Sockets;

namespace Switchboard.Alerts;

/// <summary>
/// Keeps accounts' webhooks on the public internet. An account chooses the URL but the gateway makes the request,
/// from inside the operator's network, so an unchecked URL reaches what the account cannot: metadata services,
/// databases on loopback, the private network (SSRF). Checked twice: when the URL is saved
/// (<see cref="RefusalAsync"/>, for a clear 400) and on every connection (<see cref="ConnectAsync"/>, the webhook
/// client's <c>ConnectCallback</c>), which resolves the name itself and connects only to an address it allows. The
/// second check is the one that holds: a name that resolved to a public address when saved and resolves to an
/// internal one now (DNS rebinding) is refused all the same. The operator's <see cref="WebhookAllowList"/> opens
/// named exceptions.
/// </summary>
internal sealed class WebhookHostGuard(WebhookAllowList allowList, ResolveHost resolve)
{
    /// <summary>How long saving waits for DNS before accepting the URL unchecked (delivery checks it anyway).</summary>
    public static readonly TimeSpan SaveResolutionTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Names that are local by definition, refused before any lookup: <c>localhost</c> (RFC 6761), mDNS's
    /// <c>.local</c>, the private-use <c>.internal</c> (<c>metadata.google.internal</c>) and <c>.home.arpa</c>.
    /// </summary>
    private static readonly string[] InternalSuffixes = [".localhost", ".local", ".internal", ".home.arpa"];

    /// <summary>The form of a host this class compares: no brackets, no trailing dot, lower case.</summary>
    public static string Normalize(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.').ToLowerInvariant();

    /// <summary>Why <paramref name="url"/> may not be an account's webhook (e.g. "127.0.0.1 is a loopback address"), or null.</summary>
    /// <remarks>
    /// A name that does not resolve within <see cref="SaveResolutionTimeout"/> is accepted: it may not be published
    /// yet, and refusing would make saving depend on the resolver's mood. Delivery checks it when it connects.
    /// </remarks>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = Normalize(url.IdnHost);
        if (allowList.AllowsName(host))
        {
            return null;
        }
        // IPAddress takes what inet_aton takes (2130706433, 0177.0.0.1, 0x7f.1, 127.1) and so does the resolver
        // the request would use, so every spelling of an address is judged as that address.
        if (IPAddress.TryParse(host, out var literal))
        {
            return Allows(literal) ? null : $"{literal} is {AddressScopes.Describe(AddressScopes.Of(literal))}";
        }
        if (IsInternalName(host))
        {
            return $"{host} is a local or internal name";
        }
        IPAddress[] addresses;
        try
        {
            addresses = await resolve(host, cancellationToken).WaitAsync(SaveResolutionTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or ArgumentException)
        {
            return null;
        }
        // Stricter than connecting, which would use the public addresses of a mixed set: a public name that also
        // resolves to an internal address is a rebinding trick or a mistake either way. The addresses are not named,
        // so the answer tells an account no more about internal DNS than that.
        return Array.TrueForAll(addresses, Allows) ? null : $"{host} resolves to an address that is not public";
    }

    /// <summary>
    /// The webhook client's <c>ConnectCallback</c>: connects to the first address of the request's host that a webhook
    /// may reach, or throws <see cref="RefusedException"/> (which the client wraps in an
    /// <see cref="HttpRequestException"/>) when there is none. The address is resolved here, once, and connected to
    /// as resolved, so nothing can change between the check and the connection.
    /// </summary>
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectAsync(context.DnsEndPoint, cancellationToken);

    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var port = endpoint.Port;
        SocketException? failed = null;
        foreach (var address in await AllowedAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false))
        {
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            // A socket per address: on Unix a socket cannot be reused after a failed connect.
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failed = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw failed!;
    }

    /// <summary>What <paramref name="host"/> resolves to that a webhook may reach, in the resolver's order; never empty.</summary>
    /// <exception cref="RefusedException">Nothing it resolves to may be reached.</exception>
    public async Task<IPAddress[]> AllowedAddressesAsync(string host, CancellationToken cancellationToken)
    {
        host = Normalize(host);
        if (allowList.AllowsName(host))
        {
            return await resolve(host, cancellationToken).ConfigureAwait(false);
        }
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else if (IsInternalName(host))
        {
            throw new RefusedException();
        }
        else
        {
            addresses = await resolve(host, cancellationToken).ConfigureAwait(false);
        }
        var allowed = Array.FindAll(addresses, Allows);
        return allowed.Length > 0 ? allowed : throw new RefusedException();
    }

    private bool Allows(IPAddress address) => AddressScopes.Of(address) == AddressScope.Public || allowList.Allows(address);

    /// <summary>
    /// Single-label names too: they resolve through the search domains, which is how <c>metadata</c> reaches GCP's
    /// metadata server and <c>redis</c> a cluster's service, and no public webhook has one.
    /// </summary>
    private static bool IsInternalName(string host) =>
        !host.Contains('.', StringComparison.Ordinal)
        || host == "metadata.goog"
        || Array.Exists(InternalSuffixes, suffix => host.EndsWith(suffix, StringComparison.Ordinal));

    /// <summary>
    /// The connection was refused because the host leads nowhere a webhook may go. An exception, not a value,
    /// because it has to cross <see cref="SocketsHttpHandler"/>; the message names no address.
    /// </summary>
    internal sealed class RefusedException() : Exception("The webhook's host resolves to no address a webhook may reach.");
}
