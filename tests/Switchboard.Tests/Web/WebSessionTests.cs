using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Web;

/// <summary>The web app's session over plain HTTP: the cookie's flags, anti-forgery on every change, revocation.</summary>
[Collection(GatewayCollection.Name)]
public sealed class WebSessionTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_SameSite_Strict_and_changes_need_the_anti_forgery_token()
    {
        using var browser = Browserlike();
        using var signIn = await browser.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sb_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var token = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["csrf_token"]!.GetValue<string>();

        using var read = await browser.GetAsync("/api/v1/keys");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var forged = await browser.PostAsJsonAsync("/api/v1/keys", new { name = "forged" });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("anti-forgery", (await forged.JsonAsync())["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/keys") { Content = JsonContent.Create(new { name = "with token" }) };
        request.Headers.Add("X-CSRF-Token", token);
        using var created = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task A_session_calls_models_through_the_accounts_playground_key_and_only_with_the_token()
    {
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("playground", 5m);
        using var browser = Browserlike();
        using var signIn = await browser.PostAsJsonAsync("/web/session", new { key = account.ManagementKey });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["csrf_token"]!.GetValue<string>();

        using var forged = await browser.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = ChatRequests.Body("test/multi").ToContent() };
        request.Headers.Add("X-CSRF-Token", token);
        using var completion = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);

        // The charge is settled as the response ends, a moment after the client has it: read until it shows.
        using var owner = fixture.Gateway.CreateGatewayClient(account.ManagementKey);
        JsonNode playground;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            var keys = (await (await owner.GetAsync("/api/v1/keys")).JsonAsync())["data"]!.AsArray();
            playground = keys.Single(k => k!["name"]!.GetValue<string>() == "Web app (playground)")!;
        }
        while (playground["usage"]!.GetValue<decimal>() == 0m && DateTime.UtcNow < deadline);
        Assert.False(playground["is_management_key"]!.GetValue<bool>());
        Assert.True(playground["usage"]!.GetValue<decimal>() > 0m, playground.ToJsonString());
    }

    [Fact]
    public async Task Compare_votes_are_validated_tallied_per_pair_and_kept_per_account()
    {
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("voters", 1m);
        using var voter = fixture.Gateway.CreateGatewayClient(account.ManagementKey);

        using var tooFew = await voter.PostAsJsonAsync("/web/compare/votes", new { models = new[] { "test/multi" }, best = "test/multi" });
        Assert.Equal(HttpStatusCode.BadRequest, tooFew.StatusCode);
        using var stranger = await voter.PostAsJsonAsync("/web/compare/votes", new { models = new[] { "test/multi", "test/other" }, best = "test/free" });
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);

        // Three models, the last best: it beats both others. Then a tie of the first two.
        using (var best = await voter.PostAsJsonAsync("/web/compare/votes", new { models = new[] { "test/other", "test/multi", "test/free" }, best = "test/free" }))
        {
            Assert.Equal(HttpStatusCode.OK, best.StatusCode);
        }
        using var tie = await voter.PostAsJsonAsync("/web/compare/votes", new { models = new[] { "test/other", "test/multi" }, best = (string?)null });
        var tallies = (await tie.JsonAsync())["data"]!.AsArray().ToDictionary(t => $"{t!["model_a"]} vs {t["model_b"]}", t => t!.ToJsonString());

        Assert.Equal(3, tallies.Count);
        Assert.Contains("\"a_wins\":1,\"b_wins\":0,\"ties\":0", tallies["test/free vs test/multi"], StringComparison.Ordinal);
        Assert.Contains("\"a_wins\":1,\"b_wins\":0,\"ties\":0", tallies["test/free vs test/other"], StringComparison.Ordinal);
        Assert.Contains("\"a_wins\":0,\"b_wins\":0,\"ties\":1", tallies["test/multi vs test/other"], StringComparison.Ordinal);

        var others = (await (await admin.GetAsync("/web/compare/votes")).JsonAsync())["data"]!.AsArray();
        Assert.DoesNotContain(others, t => t!["model_a"]!.GetValue<string>() == "test/free");
    }

    [Fact]
    public async Task Disabling_the_key_a_session_was_made_with_ends_the_session()
    {
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("revoked", 1m);
        using var browser = Browserlike();
        using (var signIn = await browser.PostAsJsonAsync("/web/session", new { key = account.ManagementKey }))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }
        using (var before = await browser.GetAsync("/web/session"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var owner = fixture.Gateway.CreateGatewayClient(account.ManagementKey);
        var hash = (await (await owner.GetAsync("/api/v1/key")).JsonAsync())["data"]!["hash"]!.GetValue<string>();
        using (var disable = await owner.PatchAsJsonAsync($"/api/v1/keys/{hash}", new { disabled = true }))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        using var after = await browser.GetAsync("/web/session");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var keys = await browser.GetAsync("/api/v1/keys");
        Assert.Equal(HttpStatusCode.Unauthorized, keys.StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working_at_once()
    {
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("signs out", 1m);
        var cookies = new CookieContainer();
        using var browser = Browserlike(cookies);
        using var signIn = await browser.PostAsJsonAsync("/web/session", new { key = account.ManagementKey });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["csrf_token"]!.GetValue<string>();
        var copied = cookies.GetCookies(browser.BaseAddress!)[WebSessionCookie]!.Value;
        using (var before = await WithCookie(copied).GetAsync("/api/v1/keys"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/web/session");
        signOut.Headers.Add("X-CSRF-Token", token);
        using (var signedOut = await browser.SendAsync(signOut))
        {
            Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        }

        using var session = await WithCookie(copied).GetAsync("/web/session");
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        using var keys = await WithCookie(copied).GetAsync("/api/v1/keys");
        Assert.Equal(HttpStatusCode.Unauthorized, keys.StatusCode);
        // The account's other sessions are its own: signing in again works.
        using var again = await browser.PostAsJsonAsync("/web/session", new { key = account.ManagementKey });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_sign_out_on_one_replica_ends_the_session_on_another_sharing_the_store()
    {
        await using var other = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Database:DataDirectory"] = fixture.Gateway.DataDirectory });
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("two replicas", 1m);
        var cookies = new CookieContainer();
        using var browser = Browserlike(cookies);
        using var signIn = await browser.PostAsJsonAsync("/web/session", new { key = account.ManagementKey });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["csrf_token"]!.GetValue<string>();
        var copied = cookies.GetCookies(browser.BaseAddress!)[WebSessionCookie]!.Value;
        using var onOther = other.CreateAnonymousClient();
        using (var before = await SendWithCookieAsync(onOther, copied, "/web/session"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/web/session");
        signOut.Headers.Add("X-CSRF-Token", token);
        using (var signedOut = await browser.SendAsync(signOut))
        {
            Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        }

        using var after = await SendWithCookieAsync(onOther, copied, "/web/session");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [PostgresFact]
    public async Task On_PostgreSQL_signing_out_ends_the_session_too()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Database:Provider"] = "Postgres",
            ["Switchboard:Database:ConnectionString"] = database.ConnectionString,
        });
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = gateway.CreateAnonymousClient().BaseAddress };
        using var signIn = await browser.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["csrf_token"]!.GetValue<string>();
        var copied = cookies.GetCookies(browser.BaseAddress!)[WebSessionCookie]!.Value;
        using var other = gateway.CreateAnonymousClient();
        using (var before = await SendWithCookieAsync(other, copied, "/web/session"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/web/session");
        signOut.Headers.Add("X-CSRF-Token", token);
        using (var signedOut = await browser.SendAsync(signOut))
        {
            Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        }

        using var after = await SendWithCookieAsync(other, copied, "/web/session");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_forged_or_missing_session_is_not_signed_in_and_the_operator_password_is_off_unless_configured()
    {
        using var browser = Browserlike();
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
        forged.Headers.Add("Cookie", "sb_session=CfDJ8notreallyprotected");
        using var refused = await browser.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var password = await browser.PostAsJsonAsync("/web/session", new { password = "anything at all" });
        Assert.Equal(HttpStatusCode.Unauthorized, password.StatusCode);
        Assert.Contains("Switchboard:Web:OperatorPassword", (await password.JsonAsync())["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_and_its_assets_come_from_the_gateway_with_a_strict_content_security_policy()
    {
        using var client = fixture.Gateway.CreateAnonymousClient();
        using var index = await client.GetAsync("/keys");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("script-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await index.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        using var script = await client.GetAsync("/assets/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        var etag = script.Headers.ETag!;
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/assets/app.js");
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var missing = await client.GetAsync("/assets/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Ten_wrong_operator_passwords_lock_out_only_their_own_address_and_only_until_the_minute_ends()
    {
        // The throttle's minutes are aligned to the UTC clock: a fixed one keeps the test inside one.
        var start = new DateTimeOffset(2026, 3, 10, 12, 0, 15, TimeSpan.Zero);
        var clock = new TestClock(start);
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Web:OperatorPassword"] = "the right password" }, clock: clock);
        using var attacker = gateway.CreateClientFrom(System.Net.IPAddress.Parse("127.0.0.1"));
        for (var i = 0; i < 10; i++)
        {
            using var wrong = await attacker.PostAsJsonAsync("/web/session", new { password = $"guess {i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var throttled = await attacker.PostAsJsonAsync("/web/session", new { password = "the right password" });
        using var withKey = await attacker.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey });
        using var operatorElsewhere = gateway.CreateClientFrom(System.Net.IPAddress.Parse("127.0.0.2"));
        using var fromElsewhere = await operatorElsewhere.PostAsJsonAsync("/web/session", new { password = "the right password" });

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("45", throttled.Headers.GetValues("Retry-After").Single());
        var error = (await throttled.JsonAsync())["error"]!;
        Assert.Equal(429, error["code"]!.GetValue<int>());
        Assert.Equal("operator_password_failures", error["metadata"]!["limit_source"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromElsewhere.StatusCode);

        clock.Set(start.AddSeconds(45));
        using var nextMinute = await attacker.PostAsJsonAsync("/web/session", new { password = "the right password" });
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
    }

    [Fact]
    public async Task A_session_cannot_create_or_update_a_key_with_an_expiry_in_the_past()
    {
        using var browser = Browserlike();
        using var signIn = await browser.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["csrf_token"]!.GetValue<string>();
        browser.DefaultRequestHeaders.Add("X-CSRF-Token", token);
        using var created = await browser.PostAsJsonAsync("/api/v1/keys", new { name = "from the app" });
        var hash = (await created.JsonAsync())["data"]!["hash"]!.GetValue<string>();
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-ddT23:59:59Z", System.Globalization.CultureInfo.InvariantCulture);

        using var create = await browser.PostAsJsonAsync("/api/v1/keys", new { name = "born expired", expires_at = yesterday });
        using var update = await browser.PatchAsJsonAsync($"/api/v1/keys/{hash}", new { expires_at = yesterday });

        foreach (var response in new[] { create, update })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("expires_at", (await response.JsonAsync())["error"]!["metadata"]!["param"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Generations_page_newest_first_without_gaps_and_the_activity_and_CSV_add_up()
    {
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("busy", 5m);
        using var owner = fixture.Gateway.CreateGatewayClient(account.ManagementKey);
        var key = await owner.CreateKeyAsync(new { name = "busy key" });
        using var client = fixture.Gateway.CreateGatewayClient(key.Key);
        var costs = 0m;
        for (var i = 0; i < 55; i++)
        {
            using var response = await client.PostChatAsync(ChatRequests.Body("test/multi"));
            costs += (await response.JsonAsync())["usage"]!["cost"]!.GetValue<decimal>();
        }

        var ids = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await (await owner.GetAsync($"/web/generations{(next is null ? "" : $"?before={Uri.EscapeDataString(next)}")}")).JsonAsync();
            ids.AddRange(page["data"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
            pages++;
        }
        while (next is not null);
        var activity = await (await owner.GetAsync("/web/activity")).JsonAsync();
        var csv = (await owner.GetStringAsync("/web/generations.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, pages);
        Assert.Equal(55, ids.Distinct().Count());
        Assert.Equal(55, activity["totals"]!["requests"]!.GetValue<int>());
        Assert.Equal(costs, activity["totals"]!["spend"]!.GetValue<decimal>());
        Assert.Equal("busy key", Assert.Single(activity["keys"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "busy key")!["name"]!.GetValue<string>());
        Assert.Equal(56, csv.Length);
        Assert.Equal(ids, csv.Skip(1).Select(row => row[..row.IndexOf(',', StringComparison.Ordinal)]));

        var credits = (await (await owner.GetAsync("/web/ledger")).JsonAsync())["data"]!.AsArray();
        var withCharges = await (await owner.GetAsync("/web/ledger?charges=true")).JsonAsync();
        var chargePage2 = await (await owner.GetAsync($"/web/ledger?charges=true&before={withCharges["next"]!.GetValue<string>()}")).JsonAsync();
        var allCharges = withCharges["data"]!.AsArray().Concat(chargePage2["data"]!.AsArray()).Where(e => e!["kind"]!.GetValue<string>() == "charge").ToList();
        Assert.Equal("top_up", Assert.Single(credits)!["kind"]!.GetValue<string>());
        Assert.Equal(55, allCharges.Count);
        Assert.Equal(-costs, allCharges.Sum(e => e!["amount"]!.GetValue<decimal>()));
        Assert.All(allCharges, e => Assert.Equal("busy key", e!["key"]!.GetValue<string>()));

        using var badCursor = await owner.GetAsync("/web/generations?before=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        using var otherAccount = await admin.GetAsync("/web/generations");
        Assert.DoesNotContain(ids, (await otherAccount.JsonAsync())["data"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()).Contains);
    }

    private const string WebSessionCookie = "sb_session";

    /// <summary>A client that keeps cookies, as a browser does, and sends no Authorization header.</summary>
    private HttpClient Browserlike(CookieContainer? cookies = null)
    {
        var address = fixture.Client.BaseAddress!;
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = address };
    }

    /// <summary>Another client that sends a copy of the session cookie, as someone who stole it would.</summary>
    private HttpClient WithCookie(string session)
    {
        var client = new HttpClient { BaseAddress = fixture.Client.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", $"{WebSessionCookie}={session}");
        return client;
    }

    private static Task<HttpResponseMessage> SendWithCookieAsync(HttpClient client, string session, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{WebSessionCookie}={session}");
        return client.SendAsync(request);
    }
}
