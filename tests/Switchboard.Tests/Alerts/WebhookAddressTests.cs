using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Alerts;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Alerts;

/// <summary>
/// No SSRF through accounts' webhooks, end to end: a real gateway refuses every spelling of a non-public address
/// when the URL is saved (400 naming <c>webhook_url</c>), refuses again when a post connects (a name that rebinds to
/// loopback, a URL saved before the operator narrowed the allow-list), and stores errors that name no address,
/// port or exact status. The gateway resolves names through a scripted DNS (<see cref="FakeDns"/>) so names can
/// lead anywhere without a network; the operator allows one of them, <c>allowed.example.com</c>, which leads to
/// the test's loopback receivers.
/// </summary>
public sealed class WebhookAddressTests(WebhookAddressTests.Fixture fixture) : IClassFixture<WebhookAddressTests.Fixture>
{
    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://localhost:6379/")]
    [InlineData("http://LOCALHOST./")]
    [InlineData("http://app.localhost/")]
    [InlineData("http://[::1]:22/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://metadata/computeMetadata/v1/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://100.100.100.200/")]
    [InlineData("http://10.0.0.5/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://[fc00::1]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://[ff02::1]/")]
    [InlineData("http://0.0.0.0:8088/")]
    [InlineData("http://[::]/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://192.0.2.1/")]
    [InlineData("http://198.18.0.1/")]
    [InlineData("http://240.0.0.1/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:7f00:1]/")]
    [InlineData("http://[::127.0.0.1]/")]
    [InlineData("http://[64:ff9b::10.0.0.5]/")]
    [InlineData("http://[2002:7f00:1::1]/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://0x7f.0.0.1/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://127.1/")]
    [InlineData("http://0/")]
    [InlineData("https://user:pass@127.0.0.1/hook")]
    [InlineData("http://printer.local/")]
    [InlineData("http://nas.home.arpa/")]
    [InlineData("http://loopback.example.com/hook")] // resolves to 127.0.0.1
    [InlineData("http://mixed.example.com/hook")] // resolves to a public and a private address
    [InlineData("http://mapped.example.com/hook")] // resolves to ::ffff:169.254.169.254
    public async Task A_webhook_url_that_leads_to_a_non_public_address_is_refused_when_saved(string url)
    {
        using var management = await fixture.NewAccountAsync();

        using var response = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 50 }, webhook_url = url });
        var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;

        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Equal("webhook_url", error["metadata"]!["param"]!.GetValue<string>());
        Assert.Equal("invalid_request", error["metadata"]!["error_type"]!.GetValue<string>());
        Assert.StartsWith("'webhook_url' must point at a public host: ", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await management.GetObjectAsync("/web/alerts"))["data"]!["webhook_url"]);
    }

    [Fact]
    public async Task A_refusal_names_the_address_a_spelling_stands_for_but_never_what_a_name_resolves_to()
    {
        using var management = await fixture.NewAccountAsync();

        Assert.Equal("'webhook_url' must point at a public host: 127.0.0.1 is a loopback address. "
            + "The operator can allow internal hosts (Switchboard:Alerts:AllowedWebhookHosts).", await RefusalAsync(management, "http://2130706433/"));
        var resolved = await RefusalAsync(management, "http://loopback.example.com/");
        Assert.Contains("loopback.example.com resolves to an address that is not public", resolved, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", resolved, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.example.com/alerts?token=x")]
    [InlineData("https://93.184.215.14/alerts")]
    [InlineData("https://[2606:4700:4700::1111]/alerts")]
    [InlineData("http://allowed.example.com:9/alerts")] // loopback, but the operator allows the name
    [InlineData("https://unpublished.example.com/alerts")] // does not resolve yet: accepted, checked at delivery
    public async Task A_public_an_allowed_or_a_not_yet_resolvable_host_is_saved(string url)
    {
        using var management = await fixture.NewAccountAsync();

        using var response = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 50 }, webhook_url = url });

        Assert.Equal(url, (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["data"]!["webhook_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_host_the_operator_allows_receives_the_alert()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var management = await fixture.NewAccountAsync(Fixture.Allowed(receiver.Url));

        await fixture.SpendHalfAsync(management);
        var post = await receiver.NextAsync();

        Assert.Equal("spend_alert.balance", post.Event);
        await AlertWhenAsync(management, "delivered");
    }

    /// <summary>
    /// DNS rebinding: public when saved, loopback when the post connects, where a real receiver listens. The
    /// connect-time check refuses every attempt, and the stored error says so without the address.
    /// </summary>
    [Fact]
    public async Task A_name_that_rebinds_to_loopback_after_it_was_saved_is_refused_when_the_post_connects()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        fixture.Dns.Answer("rebind.example.com", "93.184.215.14");
        var url = new UriBuilder(receiver.Url) { Host = "rebind.example.com" }.Uri.ToString();
        using var management = await fixture.NewAccountAsync(url);
        fixture.Dns.Answer("rebind.example.com", "127.0.0.1");

        await fixture.SpendHalfAsync(management);
        var alert = await AlertWhenAsync(management, "failed");

        Assert.Equal("failed", alert["webhook"]!.GetValue<string>());
        Assert.Equal(Fixture.Attempts, alert["webhook_attempts"]!.GetValue<int>());
        Assert.Equal("account webhook: delivery failed: the host is not a public address", alert["webhook_error"]!.GetValue<string>());
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_failed_delivery_stores_the_kind_of_failure_never_the_address_port_or_status()
    {
        var port = ClosedPort();
        using var closed = await fixture.NewAccountAsync($"http://allowed.example.com:{port}/hook");
        await using var refusing = await WebhookReceiver.StartAsync(401, 401, 401);
        using var unauthorized = await fixture.NewAccountAsync(Fixture.Allowed(refusing.Url));
        await using var redirecting = await WebhookReceiver.StartAsync(302, 302, 302);
        using var redirected = await fixture.NewAccountAsync(Fixture.Allowed(redirecting.Url));

        await fixture.SpendHalfAsync(closed);
        await fixture.SpendHalfAsync(unauthorized);
        await fixture.SpendHalfAsync(redirected);

        var errors = new Dictionary<string, HttpClient>
        {
            ["account webhook: delivery failed: could not connect"] = closed,
            ["account webhook: delivery failed: the endpoint answered 4xx"] = unauthorized,
            ["account webhook: delivery failed: the endpoint answered 3xx (redirects are not followed)"] = redirected,
        };
        foreach (var (expected, management) in errors)
        {
            var alert = await AlertWhenAsync(management, "failed");
            var error = alert["webhook_error"]!.GetValue<string>();
            Assert.Equal(expected, error);
            Assert.DoesNotContain("127.0.0.1", error, StringComparison.Ordinal);
            Assert.DoesNotContain("allowed.example.com", error, StringComparison.Ordinal);
            Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
            Assert.DoesNotContain("401", error, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The allow-list is the operator's, read at start: a URL an account saved while it covered the host is refused
    /// by the next gateway whose list no longer does, at delivery, since the check is made when the post connects.
    /// </summary>
    [Fact]
    public async Task A_webhook_saved_while_allowed_is_refused_at_delivery_once_the_allow_list_no_longer_covers_it()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));
        await using var receiver = await WebhookReceiver.StartAsync();
        string managementKey;
        await using (var allowing = await StartAsync(dataDirectory, allowLoopback: true))
        {
            using var admin = allowing.CreateGatewayClient(GatewayFactory.ManagementKey);
            var account = await admin.CreateAccountAsync($"narrowed-{Guid.NewGuid():n}", 2m);
            managementKey = account.ManagementKey;
            using var management = allowing.CreateGatewayClient(managementKey);
            using var saved = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 50 }, webhook_url = receiver.Url });
            await AccountClient.ReadObjectAsync(saved, HttpStatusCode.OK);
        }
        try
        {
            await using var narrowed = await StartAsync(dataDirectory, allowLoopback: false);
            using var management = narrowed.CreateGatewayClient(managementKey);
            using (var inference = narrowed.CreateGatewayClient((await management.CreateKeyAsync(new { name = "spender" })).Key))
            {
                await SpendAlertTests.SpendAsync(inference, 1m);
            }

            var alert = await AlertWhenAsync(management, "failed");
            Assert.Equal("account webhook: delivery failed: the host is not a public address", alert["webhook_error"]!.GetValue<string>());
            Assert.Empty(receiver.Received);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Task<GatewayFactory> StartAsync(string dataDirectory, bool allowLoopback)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Switchboard:Database:DataDirectory"] = dataDirectory,
            ["Switchboard:Alerts:WebhookAttempts"] = "1",
        };
        if (allowLoopback)
        {
            settings["Switchboard:Alerts:AllowedWebhookHosts:0"] = "127.0.0.0/8";
        }
        return GatewayFactory.StartAsync(settings);
    }

    /// <summary>The account's one alert once its webhook state is <paramref name="state"/> (the alert itself is recorded in the background).</summary>
    private static async Task<JsonNode> AlertWhenAsync(HttpClient management, string state)
    {
        var alerts = await SpendAlertTests.AlertsWhenAsync(management, list => list.Count == 1 && list[0]!["webhook"]?.GetValue<string>() == state);
        var alert = Assert.Single(alerts)!;
        Assert.Equal(state, alert["webhook"]!.GetValue<string>());
        return alert;
    }

    private static async Task<string> RefusalAsync(HttpClient management, string url)
    {
        using var response = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 50 }, webhook_url = url });
        return (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!["message"]!.GetValue<string>();
    }

    /// <summary>A loopback port nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>One gateway for the class, resolving through <see cref="Dns"/>; a failed post is retried once, quickly.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const int Attempts = 2;

        public GatewayFactory Gateway { get; private set; } = null!;

        internal FakeDns Dns { get; } = new FakeDns()
            .Answer("hooks.example.com", "93.184.215.14")
            .Answer("allowed.example.com", "127.0.0.1")
            .Answer("loopback.example.com", "127.0.0.1")
            .Answer("mixed.example.com", "93.184.215.14", "10.0.0.5")
            .Answer("mapped.example.com", "::ffff:169.254.169.254");

        /// <summary><paramref name="receiverUrl"/> (on 127.0.0.1) by the name the operator allows.</summary>
        public static string Allowed(string receiverUrl) => new UriBuilder(receiverUrl) { Host = "allowed.example.com" }.Uri.ToString();

        public async Task InitializeAsync() => Gateway = await GatewayFactory.StartAsync(
            new Dictionary<string, string?>
            {
                ["Switchboard:Alerts:WebhookAttempts"] = Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Switchboard:Alerts:WebhookRetryDelay"] = "00:00:00.050",
                ["Switchboard:Alerts:AllowedWebhookHosts:0"] = "allowed.example.com",
            },
            testServices: services => services.AddSingleton<ResolveHost>(Dns.ResolveAsync));

        public async Task DisposeAsync() => await Gateway.DisposeAsync();

        /// <summary>The management client of a new account with 2 USD, a 50 % threshold and this webhook (or none).</summary>
        public async Task<HttpClient> NewAccountAsync(string? webhookUrl = null)
        {
            using var admin = Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
            var account = await admin.CreateAccountAsync($"webhook-{Guid.NewGuid():n}", 2m);
            var management = Gateway.CreateGatewayClient(account.ManagementKey);
            using var saved = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 50 }, webhook_url = webhookUrl });
            await AccountClient.ReadObjectAsync(saved, HttpStatusCode.OK);
            return management;
        }

        /// <summary>Spends 1 of the account's 2 USD, which fires its 50 % balance alert.</summary>
        public async Task SpendHalfAsync(HttpClient management)
        {
            using var inference = Gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "spender" })).Key);
            await SpendAlertTests.SpendAsync(inference, 1m);
        }
    }
}
