using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Switchboard.Alerts;

namespace Switchboard.Tests.Alerts;

/// <summary>
/// A DNS server the test scripts: each name answers with the addresses last set for it (and can change its answer
/// between saving a webhook and delivering to it, as a rebinding attacker's does); unknown names do not resolve.
/// </summary>
internal sealed class FakeDns
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _asked = new();

    /// <summary>Every name looked up so far, in order.</summary>
    public IReadOnlyList<string> Asked => [.. _asked];

    public FakeDns Answer(string host, params string[] addresses)
    {
        _answers[host] = [.. addresses.Select(IPAddress.Parse)];
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        _asked.Enqueue(host);
        return _answers.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }

    public ResolveHost Resolver => ResolveAsync;
}
