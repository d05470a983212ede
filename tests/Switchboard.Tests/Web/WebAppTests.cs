using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Switchboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Tests.Web;

/// <summary>
/// The web app in real headless Chromium against a real gateway and the upstream simulator: sign in, browse the
/// catalog, manage keys, top up, and see only one's own account. Each test saves screenshots of what it saw.
/// </summary>
public sealed partial class WebAppTests : IAsyncLifetime
{
    private const string OperatorPassword = "correct horse battery staple";
    private GatewayFactory _gateway = null!;
    private Uri _address = null!;
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _pageErrors = [];

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Web:OperatorPassword"] = OperatorPassword,
            // The alerts test's receiver listens on loopback, which accounts' webhooks reach only when allowed.
            ["Switchboard:Alerts:AllowedWebhookHosts:0"] = "127.0.0.1",
        });
        using var client = _gateway.CreateGatewayClient();
        _address = client.BaseAddress!;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Assert.True(_pageErrors.IsEmpty, "The pages reported errors:\n" + string.Join("\n", _pageErrors));
    }

    [Fact]
    public async Task Signing_in_with_a_management_key_opens_the_catalog_which_filters_and_shows_a_models_providers()
    {
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);

        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);

        await Expect(page).ToHaveURLAsync(new Regex("/models$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Models" })).ToBeVisibleAsync();
        var total = await page.Locator("table tbody tr").CountAsync();
        Assert.True(total > 1, $"the catalog lists {total} models");
        await Browser.ScreenshotAsync(page, "models");

        await page.GetByLabel("Search").FillAsync("multi");
        await Expect(page.Locator("table tbody tr")).ToHaveCountAsync(1);
        await Expect(page).ToHaveURLAsync(new Regex("q=multi"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Test: test/multi" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/models/test/multi$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Providers" })).ToBeVisibleAsync();
        Assert.True(await page.Locator("table tbody tr").CountAsync() >= 2, "test/multi has several provider endpoints");
        await Expect(page.Locator("table").First).ToContainTextAsync("healthy");
        await Browser.ScreenshotAsync(page, "model");
    }

    [Fact]
    public async Task A_key_created_in_the_app_is_shown_once_works_and_can_be_disabled_and_deleted()
    {
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Keys", Exact = true }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("from the browser");
        await dialog.GetByLabel("Spend limit (USD)").FillAsync("5");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var secret = await page.Locator("[data-secret]").TextContentAsync();
        Assert.Matches("^sk-sb-v1-[0-9a-f]{64}$", secret);
        await Browser.ScreenshotAsync(page, "keys");
        using (var client = _gateway.CreateGatewayClient(secret))
        {
            using var key = await client.GetAsync("/api/v1/key");
            Assert.Equal(HttpStatusCode.OK, key.StatusCode);
        }

        var row = page.Locator("tr[data-key='from the browser']");
        await Expect(row).ToContainTextAsync("$5.00");
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(row).ToContainTextAsync("disabled");
        using (var client = _gateway.CreateGatewayClient(secret))
        {
            using var refused = await client.GetAsync("/api/v1/key");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        page.Dialog += (_, confirm) => confirm.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("deleted");
    }

    [Fact]
    public async Task An_expired_key_can_be_renamed_in_the_app_without_its_old_expiry_being_refused()
    {
        using var management = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddT23:59:59Z", System.Globalization.CultureInfo.InvariantCulture);
        var key = await management.CreateKeyAsync(new { name = "lapsed", expires_at = tomorrow });
        // Expired since: the API refuses a past expiry, so only the store can make one.
        await using (var store = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_gateway.DatabasePath};Pooling=False"))
        {
            await store.OpenAsync();
            await using var expire = store.CreateCommand();
            expire.CommandText = $"""UPDATE api_keys SET "ExpiresAt" = '2020-01-01 23:59:59' WHERE "Hash" = '{key.Hash}'""";
            Assert.Equal(1, await expire.ExecuteNonQueryAsync());
        }
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GotoAsync("/keys");

        await page.Locator("tr[data-key='lapsed']").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByLabel("Expires")).ToHaveValueAsync("2020-01-01");
        await dialog.GetByLabel("Name").FillAsync("lapsed, renamed");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        await Expect(page.Locator("tr[data-key='lapsed, renamed']")).ToHaveCountAsync(1);
        var saved = (await management.GetObjectAsync($"/api/v1/keys/{key.Hash}"))["data"]!;
        Assert.StartsWith("2020-01-01", saved["expires_at"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operator_signs_in_with_the_password_tops_up_an_account_and_sees_the_balance_change()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        await admin.CreateAccountAsync("Acme", 10m);
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);

        await page.GotoAsync("/sign-in?next=/credits");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Operator password" }).ClickAsync();
        await page.GetByLabel("Operator password").FillAsync(OperatorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/credits$"));

        var acme = page.Locator("tr[data-account='Acme']");
        await Expect(acme.Locator("[data-figure=balance]")).ToHaveTextAsync("$10.00");
        await acme.GetByLabel("USD to add to Acme").FillAsync("25");
        await acme.GetByRole(AriaRole.Button, new() { Name = "Top up" }).ClickAsync();
        await Expect(acme.Locator("[data-figure=balance]")).ToHaveTextAsync("$35.00");
        await Browser.ScreenshotAsync(page, "credits");
    }

    [Fact]
    public async Task The_credits_screen_saves_alert_thresholds_then_shows_fired_alerts_in_a_notice_a_table_and_a_nav_badge()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("Alerted", 2m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        var key = await management.CreateKeyAsync(new { name = "busy app", limit = 4 });
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, account.ManagementKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Credits", Exact = true }).ClickAsync();

        await Expect(page.GetByText("No alerts yet")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Thresholds (%)")).ToHaveValueAsync("50, 80, 100");
        await Expect(page.Locator("[data-alert-count]")).ToHaveCountAsync(0);
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Alert settings" });
        await form.GetByLabel("Thresholds (%)").FillAsync("25, fifty");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save alert settings" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync("whole percentages");
        await form.GetByLabel("Thresholds (%)").FillAsync("25, 150");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save alert settings" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync("150 is not one");
        // A webhook into the gateway's own network is refused, the reason shown by the form.
        await form.GetByLabel("Thresholds (%)").FillAsync("50, 25");
        await form.GetByLabel("Webhook URL (optional)").FillAsync("http://169.254.169.254/latest/meta-data/");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save alert settings" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync("must point at a public host");
        // Saved from the keyboard: Enter in a field submits the form.
        await form.GetByLabel("Webhook URL (optional)").FillAsync(receiver.Url);
        await form.GetByLabel("Thresholds (%)").FillAsync("50, 25");
        await form.GetByLabel("Thresholds (%)").PressAsync("Enter");
        await Expect(form.GetByRole(AriaRole.Status)).ToContainTextAsync("Alert settings saved");
        await Expect(form.GetByLabel("Thresholds (%)")).ToHaveValueAsync("25, 50");

        // 1 USD: half the account's 2 USD (25 % and 50 %), a quarter of the key's 4 USD limit (25 %).
        using (var inference = _gateway.CreateGatewayClient(key.Key))
        {
            Assert.Equal(1m, await Alerts.SpendAlertTests.SpendAsync(inference, 1m));
        }
        var posts = new[] { await receiver.NextAsync(), await receiver.NextAsync(), await receiver.NextAsync() };
        Assert.Equal(2, posts.Count(p => p.Event == "spend_alert.balance"));
        Assert.Equal(1, posts.Count(p => p.Event == "spend_alert.key_limit"));
        await page.ReloadAsync();

        await Expect(page.Locator("[data-alert-notice]")).ToContainTextAsync("3 spend alerts in the last 7 days");
        await Expect(page.Locator("tr[data-alert=balance]")).ToHaveCountAsync(2);
        await Expect(page.Locator("tr[data-alert=key_limit]")).ToContainTextAsync("Key “busy app” reached 25 % of its spend limit");
        await Expect(page.Locator("tr[data-alert=key_limit]")).ToContainTextAsync("$1.00 of $4.00");
        var credits = page.GetByRole(AriaRole.Link, new() { Name = "Credits", Exact = true });
        await Expect(credits.Locator("[data-alert-count]")).ToHaveTextAsync("3");
        await Expect(credits).ToHaveAccessibleDescriptionAsync("3 spend alerts in the last 7 days");
        await Browser.ScreenshotAsync(page, "credits-alerts");

        // The badge stays on the other screens.
        await page.GetByRole(AriaRole.Link, new() { Name = "Keys", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keys" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-alert-count]")).ToHaveTextAsync("3");
    }

    [Fact]
    public async Task The_playground_streams_a_reply_rendered_safely_keeps_the_conversation_and_stop_cancels_upstream()
    {
        var simulator = await SharedSimulator.GetAsync();
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        // The test scripts the upstream simulator by adding its instructions to the app's requests on the way out.
        var scripts = new Queue<System.Text.Json.Nodes.JsonObject>();
        var markers = new List<string>();
        await page.RouteAsync("**/api/v1/chat/completions", async route =>
        {
            var body = System.Text.Json.Nodes.JsonNode.Parse(route.Request.PostData!)!.AsObject();
            var marker = Guid.NewGuid().ToString("N");
            body["user"] = marker;
            markers.Add(marker);
            if (scripts.TryDequeue(out var script))
            {
                body["simulator"] = script;
            }
            await route.ContinueAsync(new RouteContinueOptions { PostData = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()) });
        });
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Playground", Exact = true }).ClickAsync();
        await page.GetByLabel("Model").SelectOptionAsync("test/multi");

        scripts.Enqueue(new() { ["content"] = "Here is **bold**, `code` and <img src=x onerror=alert(1)>." });
        await page.GetByLabel("Message").FillAsync("Hello there");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        var first = page.Locator("[data-reply]").Nth(0);
        await Expect(first).ToHaveAttributeAsync("data-state", "done");
        await Expect(first.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(first.Locator("code")).ToHaveTextAsync("code");
        await Expect(first).ToContainTextAsync("<img src=x onerror=alert(1)>");
        Assert.Equal(0, await first.Locator("img").CountAsync());
        await Expect(first.Locator(".figures")).ToContainTextAsync(new Regex(@"\d+ in \+ \d+ out tokens · \$\d\.\d{6} · first token \d+ ms · \d+ ms"));
        await Expect(page.Locator("[data-snippet=curl]")).ToContainTextAsync("\"model\":\"test/multi\"");
        await Expect(page.Locator("[data-snippet=python]")).ToContainTextAsync("base_url=");

        // A second turn carries the first: the upstream sees both user messages and the reply between them.
        scripts.Enqueue(new() { ["content"] = "one two three four five six seven eight", ["hang_after_events"] = 2 });
        await page.GetByLabel("Message").FillAsync("And a long one");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var second = page.Locator("[data-reply]").Nth(1);
        await Expect(second.Locator(".body")).Not.ToContainTextAsync("Waiting for the first token");
        await Browser.ScreenshotAsync(page, "playground-streaming");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();

        await Expect(second).ToHaveAttributeAsync("data-state", "stopped");
        await Expect(second.Locator(".figures")).ToContainTextAsync("stopped");
        var upstream = await simulator.Requests.WaitForAsync(r => r.Body.Contains(markers[1]) && r.ClientAborted, TimeSpan.FromSeconds(10));
        Assert.Contains("Hello there", upstream.Body, StringComparison.Ordinal);
        Assert.Contains("And a long one", upstream.Body, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"assistant\"", upstream.Body, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "playground");
    }

    [Fact]
    public async Task A_blind_compare_streams_side_by_side_hides_the_models_until_the_vote_and_keeps_the_vote()
    {
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare", Exact = true }).ClickAsync();
        await Expect(page.GetByText("No votes yet")).ToBeVisibleAsync();

        await page.GetByLabel("Model A").SelectOptionAsync("test/multi");
        await page.GetByLabel("Model B").SelectOptionAsync("test/other");
        await page.GetByLabel("Blind: hide the models").CheckAsync();
        await page.GetByLabel("Prompt").FillAsync("Which is better?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare", Exact = true }).ClickAsync();

        var columns = page.Locator("[data-column]");
        await Expect(columns).ToHaveCountAsync(2);
        await Expect(columns.Nth(0)).ToHaveAttributeAsync("data-state", "done");
        await Expect(columns.Nth(1)).ToHaveAttributeAsync("data-state", "done");
        foreach (var hidden in new[] { "test/multi", "test/other", "Alpha", "Beta", "Gamma", "$" })
        {
            await Expect(page.Locator(".columns")).Not.ToContainTextAsync(hidden);
        }
        await Expect(columns.Nth(0).Locator(".figures")).ToContainTextAsync(new Regex(@"first token \d+ ms"));
        await Browser.ScreenshotAsync(page, "compare");

        await page.GetByRole(AriaRole.Button, new() { Name = "Answer A is better" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Vote kept");
        await Expect(columns.Nth(0).Locator("h3")).ToContainTextAsync(new Regex("Answer A: Test: test/(multi|other)"));
        await Expect(columns.Nth(0).Locator(".figures")).ToContainTextAsync("$");
        var pair = page.Locator("tr[data-pair='test/multi vs test/other']");
        await Expect(pair).ToBeVisibleAsync();
        var cells = await pair.Locator("td").AllTextContentsAsync();
        Assert.Equal(1, int.Parse(cells[1]) + int.Parse(cells[2]));
        Assert.Equal("0", cells[3]);
        await Browser.ScreenshotAsync(page, "compare-voted");
    }

    [Fact]
    public async Task Activity_charts_spend_by_model_filters_drills_into_a_generation_and_exports_the_rows_as_CSV()
    {
        using (var client = _gateway.CreateGatewayClient())
        {
            foreach (var model in new[] { "test/multi", "test/multi", "test/multi", "test/other", "test/other" })
            {
                using var response = await client.PostChatAsync(ChatRequests.Body(model));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Activity", Exact = true }).ClickAsync();

        await Expect(page.Locator(".card").Filter(new() { HasText = "Requests" })).ToContainTextAsync("5");
        await Expect(page.Locator("figure.chart")).ToHaveCountAsync(3);
        Assert.True(await page.Locator("figure.chart rect").CountAsync() >= 3);
        await Expect(page.Locator(".legend")).ToContainTextAsync("test/multi");
        await Expect(page.Locator(".legend")).ToContainTextAsync("test/other");
        await Expect(page.Locator("tr[data-generation]")).ToHaveCountAsync(5);
        await Browser.ScreenshotAsync(page, "activity");

        await page.GetByLabel("Model", new() { Exact = true }).SelectOptionAsync("test/other");
        await Expect(page.Locator("tr[data-generation]")).ToHaveCountAsync(2);
        await Expect(page).ToHaveURLAsync(new Regex("model=test%2Fother"));
        await page.GetByLabel("Stack by", new() { Exact = true }).SelectOptionAsync("provider");
        await Expect(page.Locator(".legend")).Not.ToContainTextAsync("test/other");
        await Expect(page.Locator(".legend")).ToContainTextAsync(new Regex("Beta|Gamma")); // test/other's providers

        await page.Locator("tr[data-generation] button.link").First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Attempts");
        await Expect(dialog).ToContainTextAsync("test/other");
        await Expect(dialog.Locator("table.attempts tbody tr")).ToHaveCountAsync(1);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csv = (await File.ReadAllLinesAsync(await download.PathAsync())).Where(line => line.Length > 0).ToList();
        Assert.StartsWith("id,created_at,model,provider,key", csv[0], StringComparison.Ordinal);
        Assert.Equal(2, csv.Count - 1);
        Assert.All(csv.Skip(1), row => Assert.Contains(",test/other,", row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_operator_sees_each_providers_masked_credential_and_an_endpoint_whose_circuit_opened()
    {
        using (var client = _gateway.CreateGatewayClient())
        {
            // Alpha fails every time (the test gateway opens a circuit after 3 failures); Beta answers instead.
            for (var i = 0; i < 3; i++)
            {
                var body = ChatRequests.Body("test/multi", System.Text.Json.Nodes.JsonNode.Parse("""{"providers":{"alpha":{"status":500}}}""")!.AsObject());
                body["provider"] = new System.Text.Json.Nodes.JsonObject { ["order"] = new System.Text.Json.Nodes.JsonArray("alpha", "beta") };
                using var response = await client.PostChatAsync(body);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);

        await page.GetByRole(AriaRole.Link, new() { Name = "Providers", Exact = true }).ClickAsync();

        var alpha = page.Locator("[data-provider=alpha]");
        await Expect(alpha.Locator("tr[data-endpoint='test/multi']")).ToContainTextAsync("circuit open");
        await Expect(alpha.Locator("tr[data-endpoint='test/multi']")).ToContainTextAsync("100.0 %");
        await Expect(alpha.Locator("[data-credential]")).ToHaveTextAsync("set");
        await Expect(page.Locator("[data-provider=beta] tr[data-endpoint='test/multi']")).ToContainTextAsync("healthy");
        await Expect(page.Locator("[data-provider=nokey]")).ToContainTextAsync("no credential");
        Assert.DoesNotContain("key-alpha", await page.ContentAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "providers");
    }

    [Fact]
    public async Task An_account_member_sees_only_its_own_keys_and_credits()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var other = await admin.CreateAccountAsync("Other team", 3m);
        using var otherClient = _gateway.CreateGatewayClient(other.ManagementKey);
        await otherClient.CreateKeyAsync(new { name = "other team's key" });
        await using var context = await Browser.NewContextAsync(_address, new ViewportSize { Width = 390, Height = 844 }, ColorScheme.Dark);
        var page = await OpenAsync(context);

        await SignInWithKeyAsync(page, other.ManagementKey);
        await page.GotoAsync("/keys");
        // Its own two keys (the management key it was created with, and one more), none of the admin account's.
        await Expect(page.Locator("tr[data-key]")).ToHaveCountAsync(2);
        await Expect(page.Locator("tr[data-key=\"other team's key\"]")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-key='tests']")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "keys-phone-dark");

        await page.GotoAsync("/credits");
        await Expect(page.Locator("[data-figure=balance]")).ToHaveTextAsync("$3.00");
        await Expect(page.Locator("tr[data-entry]")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-entry=top_up]")).ToContainTextAsync("$3.00");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts" })).ToHaveCountAsync(0);
        var adminApi = await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/admin/accounts')).status");
        Assert.Equal(403, adminApi);
        // Providers' health is everyone's to see; the gateway's credentials, even masked, only the operator's.
        var providersApi = await page.EvaluateAsync<string>("async () => await (await fetch('/web/providers')).text()");
        Assert.Contains("\"endpoints\"", providersApi);
        Assert.DoesNotContain("credential", providersApi);
        Assert.DoesNotContain("missing_setting", providersApi);
    }

    [Fact]
    public async Task The_operator_runs_the_ledger_audit_and_sees_uncollected_usage_which_the_accounts_own_history_leaves_out()
    {
        _gateway.ExpectsUncollected = true;
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("Acme", 100m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        using var inference = _gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "inference" })).Key);
        // A lying provider: one token allowed, usage reported as if the context had been filled.
        var body = ChatRequests.Body(Billing.BillingTestKit.Model, new System.Text.Json.Nodes.JsonObject
        {
            ["usage"] = new System.Text.Json.Nodes.JsonObject { ["prompt_tokens"] = 30_000, ["completion_tokens"] = 30_000 },
        });
        body["max_tokens"] = 1;
        using var response = await inference.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var generation = response.Headers.GetValues("X-Generation-Id").Single();
        var uncollected = 30_000 * (Billing.BillingTestKit.PromptPrice + Billing.BillingTestKit.CompletionPrice) - Billing.BillingTestKit.Hold(body);
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);

        await page.GotoAsync("/sign-in?next=/credits");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Operator password" }).ClickAsync();
        await page.GetByLabel("Operator password").FillAsync(OperatorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the audit" }).ClickAsync();

        var audit = page.Locator("[data-audit]");
        await Expect(audit.GetByRole(AriaRole.Alert)).ToContainTextAsync("problem(s) found");
        await Expect(audit.Locator("[data-table=audit-problems]")).ToContainTextAsync("Acme");
        await Expect(audit.Locator("[data-table=audit-problems]")).ToContainTextAsync("went uncollected");
        var line = audit.Locator("[data-table=uncollected] tbody tr");
        await Expect(line).ToHaveCountAsync(1);
        await Expect(line).ToContainTextAsync(generation);
        await Expect(line).ToContainTextAsync("Acme");
        await Expect(audit.Locator("[data-figure=uncollected]")).ToHaveTextAsync(Usd(uncollected));
        await Browser.ScreenshotAsync(page, "credits-audit");

        // The account sees its top-up and its charge, never the line nobody was charged.
        await using var accountContext = await Browser.NewContextAsync(_address);
        var accountPage = await OpenAsync(accountContext);
        await SignInWithKeyAsync(accountPage, account.ManagementKey);
        await accountPage.GotoAsync("/credits");
        await accountPage.GetByLabel("Include each generation's charge").CheckAsync();
        await Expect(accountPage.Locator("tr[data-entry]")).ToHaveCountAsync(2);
        await Expect(accountPage.Locator("tr[data-entry=charge]")).ToHaveCountAsync(1);
        await Expect(accountPage.Locator("tr[data-entry=top_up]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_ledger_audit_of_honest_traffic_reports_balanced()
    {
        using var response = await _gateway.CreateGatewayClient().PostChatAsync(ChatRequests.Body(Billing.BillingTestKit.Model));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);

        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GotoAsync("/credits");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the audit" }).ClickAsync();

        var audit = page.Locator("[data-audit]");
        await Expect(audit.GetByRole(AriaRole.Status)).ToContainTextAsync("Balanced");
        await Expect(audit.Locator("[data-table=uncollected]")).ToHaveCountAsync(0);
    }

    /// <summary>USD as the app shows it (up to 6 decimals here).</summary>
    private static string Usd(decimal amount) =>
        "$" + amount.ToString("#,0.00####", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_inference_key_cannot_sign_in()
    {
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);

        await SubmitSignInAsync(page, _gateway.InferenceKey);

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Inference keys cannot sign in");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
        await Browser.ScreenshotAsync(page, "sign-in-refused");
    }

    /// <summary>
    /// A page whose script errors and Content-Security-Policy violations fail the test (checked when it ends).
    /// Failed requests are not errors here: a refused sign-in is an expected 401.
    /// </summary>
    private async Task<IPage> OpenAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _pageErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _pageErrors.Add(error);
        return page;
    }

    /// <summary>Signs in and waits until the app has left the sign-in page.</summary>
    private static async Task SignInWithKeyAsync(IPage page, string key)
    {
        await SubmitSignInAsync(page, key);
        await Expect(page).Not.ToHaveURLAsync(new Regex("/sign-in"));
    }

    private static async Task SubmitSignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Management key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
