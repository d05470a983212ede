using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Security;

/// <summary>
/// Forwarded headers from trusted proxies only, HSTS over HTTPS, <c>nosniff</c> on every answer and
/// <c>no-store</c> on those that carry secrets, all over real HTTP.
/// </summary>
public sealed class HttpHygieneTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    [Fact]
    public async Task Behind_a_trusted_proxy_forwarded_https_makes_the_session_cookie_Secure_and_adds_HSTS()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Network:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });
        using var client = gateway.CreateAnonymousClient();

        using var response = await SignInAsync(client, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secure", SessionCookie(response), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
        using var plain = await SignInAsync(client, forwardedProto: null);
        Assert.DoesNotContain("secure", SessionCookie(plain), StringComparison.OrdinalIgnoreCase);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_address_that_is_not_a_trusted_proxy_are_ignored()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Network:ForwardedHeaders:KnownProxies:0"] = "10.1.2.3",
            ["Switchboard:Network:ForwardedHeaders:KnownNetworks:0"] = "192.168.0.0/16",
        });
        using var configured = gateway.CreateAnonymousClient();
        using var unconfigured = Fixture.Gateway.CreateAnonymousClient();

        foreach (var client in new[] { configured, unconfigured })
        {
            using var response = await SignInAsync(client, forwardedProto: "https");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("secure", SessionCookie(response), StringComparison.OrdinalIgnoreCase);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        }
    }

    [Fact]
    public async Task A_bad_proxy_setting_stops_the_start_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Network:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/33",
        }));

        Assert.Contains("Switchboard:Network:ForwardedHeaders:KnownNetworks", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/models", HttpStatusCode.OK)]
    [InlineData("/api/v1/key", HttpStatusCode.OK)]
    [InlineData("/keys", HttpStatusCode.OK)]
    [InlineData("/assets/app.js", HttpStatusCode.OK)]
    [InlineData("/assets/nope.js", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/no-such-route", HttpStatusCode.NotFound)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/health", HttpStatusCode.OK)]
    public async Task Every_answer_says_nosniff_and_never_HSTS_over_plain_HTTP(string path, HttpStatusCode expected)
    {
        using var response = await Fixture.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Refusals_and_errors_say_nosniff_too()
    {
        using var anonymous = Fixture.Gateway.CreateAnonymousClient();
        using var refused = await anonymous.GetAsync("/api/v1/keys");
        using var wrongMethod = await Fixture.Client.DeleteAsync("/api/v1/models");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.All([refused, wrongMethod], r => Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single()));
    }

    [Fact]
    public async Task Answers_that_carry_secrets_are_no_store_and_others_are_not()
    {
        using var admin = Fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        using var anonymous = Fixture.Gateway.CreateAnonymousClient();

        using var createdKey = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "no-store" });
        using var createdAccount = await admin.PostAsJsonAsync("/api/v1/admin/accounts", new { name = "no-store", credits = 1 });
        using var signIn = await anonymous.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey });
        using var session = await admin.GetAsync("/web/session");
        // Another account's own provider key, so no other test's requests turn into BYOK ones.
        using var owner = Fixture.Gateway.CreateGatewayClient((await createdAccount.JsonAsync())["key"]!.GetValue<string>());
        using var providerKeys = await owner.GetAsync("/web/provider-keys");
        using var setProviderKey = await owner.PutAsJsonAsync("/web/provider-keys/alpha", new { key = "sk-own-key-0123456789" });
        using var listed = await admin.GetAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.Created, createdKey.StatusCode);
        Assert.Equal(HttpStatusCode.Created, createdAccount.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, setProviderKey.StatusCode);
        Assert.All([createdKey, createdAccount, signIn, session, providerKeys, setProviderKey], r =>
        {
            Assert.True(r.Headers.CacheControl?.NoStore, $"{r.RequestMessage!.Method} {r.RequestMessage.RequestUri} has no Cache-Control: no-store");
        });
        Assert.NotEqual(true, listed.Headers.CacheControl?.NoStore);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/web/session") { Content = JsonContent.Create(new { key = GatewayFactory.ManagementKey }) };
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        return await client.SendAsync(request);
    }

    private static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sb_session=", StringComparison.Ordinal));
}
