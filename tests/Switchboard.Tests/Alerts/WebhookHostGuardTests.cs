using System.Net;
using System.Net.Sockets;
using Switchboard.Alerts;

namespace Switchboard.Tests.Alerts;

/// <summary>
/// The webhook guard without a gateway: the save-time check of each URL form, the operator's allow-list, and the
/// connect-time filter, which resolves through a scripted DNS and must connect only to an allowed address.
/// </summary>
public sealed class WebhookHostGuardTests
{
    private readonly FakeDns _dns = new FakeDns()
        .Answer("hooks.example.com", "93.184.215.14")
        .Answer("loopback.example.com", "127.0.0.1")
        .Answer("metadata.example.com", "169.254.169.254")
        .Answer("mapped.example.com", "::ffff:127.0.0.1")
        .Answer("mixed.example.com", "10.0.0.5", "93.184.215.14", "::1")
        .Answer("internal.example.com", "10.0.0.5", "fd00::5");

    [Theory]
    [InlineData("http://127.0.0.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://2130706433/", "127.0.0.1 is a loopback address")]
    [InlineData("http://0177.0.0.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://0x7f.0.0.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://127.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://[::1]:22/", "::1 is a loopback address")]
    [InlineData("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address")]
    [InlineData("http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address")]
    [InlineData("http://10.0.0.5/", "10.0.0.5 is a private address")]
    [InlineData("http://0.0.0.0/", "0.0.0.0 is the unspecified address")]
    [InlineData("http://localhost:6379/", "localhost is a local or internal name")]
    [InlineData("http://LocalHost./", "localhost is a local or internal name")]
    [InlineData("http://metadata/computeMetadata/v1/", "metadata is a local or internal name")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal is a local or internal name")]
    [InlineData("http://printer.local/", "printer.local is a local or internal name")]
    [InlineData("http://loopback.example.com/", "loopback.example.com resolves to an address that is not public")]
    [InlineData("http://mapped.example.com/", "mapped.example.com resolves to an address that is not public")]
    [InlineData("http://mixed.example.com/", "mixed.example.com resolves to an address that is not public")]
    public async Task RefusalAsync_NonPublicHost_SaysWhy(string url, string expected)
    {
        var guard = new WebhookHostGuard(WebhookAllowList.Empty, _dns.Resolver);

        Assert.Equal(expected, await guard.RefusalAsync(new Uri(url), CancellationToken.None));
    }

    [Theory]
    [InlineData("https://hooks.example.com/alerts?token=x")]
    [InlineData("https://93.184.215.14/alerts")]
    [InlineData("https://[2606:4700:4700::1111]/alerts")]
    [InlineData("https://not-yet-published.example.com/alerts")] // does not resolve: checked again at delivery
    public async Task RefusalAsync_PublicOrUnresolvedHost_Accepts(string url)
    {
        var guard = new WebhookHostGuard(WebhookAllowList.Empty, _dns.Resolver);

        Assert.Null(await guard.RefusalAsync(new Uri(url), CancellationToken.None));
    }

    [Fact]
    public async Task RefusalAsync_ResolverThatHangs_AcceptsAfterTheTimeout()
    {
        var guard = new WebhookHostGuard(WebhookAllowList.Empty, (_, cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => Array.Empty<IPAddress>(), TaskScheduler.Default));

        Assert.Null(await guard.RefusalAsync(new Uri("https://slow.example.com/"), CancellationToken.None));
    }

    [Theory]
    [InlineData("http://hooks.internal:8080/alerts")] // by name, any case
    [InlineData("http://HOOKS.internal./alerts")]
    [InlineData("http://10.1.2.3/alerts")] // in 10.1.0.0/16
    [InlineData("http://[::ffff:10.1.2.3]/alerts")]
    [InlineData("http://127.0.0.1:9000/alerts")] // by address
    [InlineData("http://internal.example.com/alerts")] // resolves into 10.1.0.0/16 and fd00::/8 only
    public async Task RefusalAsync_AllowListedHost_Accepts(string url)
    {
        _dns.Answer("internal.example.com", "10.1.0.7", "fd00::7");
        var guard = new WebhookHostGuard(AllowList("hooks.internal", "10.1.0.0/16", "127.0.0.1", "fd00::/8"), _dns.Resolver);

        Assert.Null(await guard.RefusalAsync(new Uri(url), CancellationToken.None));
    }

    [Fact]
    public async Task RefusalAsync_AllowListedAddress_DoesNotAllowItsNeighbours()
    {
        var guard = new WebhookHostGuard(AllowList("127.0.0.1", "10.1.0.0/16"), _dns.Resolver);

        Assert.Equal("127.0.0.2 is a loopback address", await guard.RefusalAsync(new Uri("http://127.0.0.2/"), CancellationToken.None));
        Assert.Equal("10.2.0.1 is a private address", await guard.RefusalAsync(new Uri("http://10.2.0.1/"), CancellationToken.None));
        // An address does not allow the names that lead to it: localhost must be listed by name.
        Assert.Equal("localhost is a local or internal name", await guard.RefusalAsync(new Uri("http://localhost/"), CancellationToken.None));
    }

    [Fact]
    public async Task AllowedAddressesAsync_MixedAnswer_KeepsOnlyThePublicAddresses()
    {
        var guard = new WebhookHostGuard(WebhookAllowList.Empty, _dns.Resolver);

        Assert.Equal([IPAddress.Parse("93.184.215.14")], await guard.AllowedAddressesAsync("mixed.example.com", CancellationToken.None));
    }

    [Theory]
    [InlineData("loopback.example.com")]
    [InlineData("metadata.example.com")]
    [InlineData("mapped.example.com")]
    [InlineData("internal.example.com")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("2130706433")]
    [InlineData("localhost")]
    [InlineData("metadata.google.internal")]
    public async Task AllowedAddressesAsync_NothingPublic_Refuses(string host)
    {
        var guard = new WebhookHostGuard(WebhookAllowList.Empty, _dns.Resolver);

        await Assert.ThrowsAsync<WebhookHostGuard.RefusedException>(() => guard.AllowedAddressesAsync(host, CancellationToken.None));
    }

    [Fact]
    public async Task AllowedAddressesAsync_LocalNames_AreRefusedWithoutAsking()
    {
        var guard = new WebhookHostGuard(WebhookAllowList.Empty, _dns.Resolver);

        foreach (var host in new[] { "localhost", "metadata", "metadata.google.internal", "redis", "nas.home.arpa", "app.localhost", "127.0.0.1" })
        {
            await Assert.ThrowsAsync<WebhookHostGuard.RefusedException>(() => guard.AllowedAddressesAsync(host, CancellationToken.None));
        }
        Assert.Empty(_dns.Asked);
    }

    [Fact]
    public async Task AllowedAddressesAsync_AllowListedName_TakesWhateverItResolvesTo()
    {
        _dns.Answer("hooks.internal", "10.9.9.9", "127.0.0.1");
        var guard = new WebhookHostGuard(AllowList("hooks.internal"), _dns.Resolver);

        Assert.Equal(2, (await guard.AllowedAddressesAsync("Hooks.Internal.", CancellationToken.None)).Length);
    }

    /// <summary>
    /// DNS rebinding: the name was public when the URL was saved and is loopback when the post connects. The
    /// listener is real, and the guard must never reach it.
    /// </summary>
    [Fact]
    public async Task ConnectAsync_NameThatRebindsToLoopback_NeverConnects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _dns.Answer("rebind.example.com", "93.184.215.14");
        var guard = new WebhookHostGuard(WebhookAllowList.Empty, _dns.Resolver);
        Assert.Null(await guard.RefusalAsync(new Uri($"http://rebind.example.com:{port}/hook"), CancellationToken.None));

        _dns.Answer("rebind.example.com", "127.0.0.1");
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync, UseProxy = false });
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://rebind.example.com:{port}/hook", new StringContent("{}")));

        Assert.IsType<WebhookHostGuard.RefusedException>(failure.InnerException);
        Assert.False(listener.Pending());
    }

    /// <summary>Of a loopback receiver's addresses, the allowed one is connected to; the others are skipped, not tried.</summary>
    [Fact]
    public async Task ConnectAsync_AllowListedAddressAmongForbiddenOnes_ConnectsToTheAllowedOne()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _dns.Answer("receiver.example.com", "169.254.169.254", "10.0.0.5", "127.0.0.1");
        var guard = new WebhookHostGuard(AllowList("127.0.0.1"), _dns.Resolver);

        Assert.Equal([IPAddress.Loopback], await guard.AllowedAddressesAsync("receiver.example.com", CancellationToken.None));
        await using var stream = await guard.ConnectAsync(new DnsEndPoint("receiver.example.com", port), CancellationToken.None);
        using var accepted = await listener.AcceptTcpClientAsync();

        Assert.Equal(((IPEndPoint)accepted.Client.RemoteEndPoint!).Address, IPAddress.Loopback);
    }

    [Fact]
    public void Parse_InvalidEntries_AreReportedByIndex()
    {
        var problems = new List<string>();
        var list = WebhookAllowList.Parse(["hooks.internal", "10.0.0.1/8", "http://hooks.internal/", "", "fd00::/8", "[::1]", "10.0.0.0/33"], "Switchboard:Alerts:AllowedWebhookHosts", problems);

        Assert.Collection(problems,
            p => Assert.StartsWith("Switchboard:Alerts:AllowedWebhookHosts:1 '10.0.0.1/8'", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Switchboard:Alerts:AllowedWebhookHosts:2 'http://hooks.internal/'", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Switchboard:Alerts:AllowedWebhookHosts:3 ''", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Switchboard:Alerts:AllowedWebhookHosts:6 '10.0.0.0/33'", p, StringComparison.Ordinal));
        Assert.True(list.AllowsName("hooks.internal"));
        Assert.True(list.Allows(IPAddress.Parse("fd00::1")));
        Assert.True(list.Allows(IPAddress.IPv6Loopback));
        Assert.False(list.Allows(IPAddress.Parse("10.0.0.1")));
    }

    private static WebhookAllowList AllowList(params string[] entries)
    {
        var problems = new List<string>();
        var list = WebhookAllowList.Parse(entries, "AllowedWebhookHosts", problems);
        Assert.Empty(problems);
        return list;
    }
}
