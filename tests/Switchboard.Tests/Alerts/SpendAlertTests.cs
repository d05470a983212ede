using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Alerts;
using Switchboard.Data;
using Switchboard.Tests.Billing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Alerts;

/// <summary>
/// Spend alerts end to end: real requests through a real gateway spend credit (model <c>test/billed</c>, whose
/// usage the simulator reports as scripted, so every spend is an exact amount), the journal's batches are checked
/// in the background, and a real receiver on a loopback port gets the webhook posts.
/// </summary>
public sealed class SpendAlertTests(SpendAlertTests.Fixture fixture) : IClassFixture<SpendAlertTests.Fixture>
{
    private const string Secret = "alerts-test-secret-0123456789";

    [Fact]
    public async Task A_key_fires_each_threshold_of_its_limit_once_with_a_signed_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (account, management) = await NewAccountAsync(10m, [50, 100], receiver.Url);
        var key = await management.CreateKeyAsync(new { name = "capped", limit = 2 });
        using var inference = fixture.Gateway.CreateGatewayClient(key.Key);

        Assert.Equal(1m, await SpendAsync(inference, 1m));
        var half = await receiver.NextAsync();

        Assert.Equal("spend_alert.key_limit", half.Body["type"]!.GetValue<string>());
        Assert.Equal("spend_alert.key_limit", half.Event);
        Assert.Equal(50, half.Threshold);
        Assert.Equal(1m, half.Body["spent"]!.GetValue<decimal>());
        Assert.Equal(2m, half.Body["of"]!.GetValue<decimal>());
        Assert.Equal(account.Id, half.Body["account_id"]!.GetValue<long>());
        Assert.Equal(account.Name, half.Body["account_name"]!.GetValue<string>());
        Assert.Equal(key.Hash, half.Body["key_hash"]!.GetValue<string>());
        Assert.Equal("capped", half.Body["key_name"]!.GetValue<string>());
        // A limit that never resets has one period, from the key's creation (as stored: PostgreSQL keeps microseconds).
        var stored = await management.GetObjectAsync($"/api/v1/keys/{key.Hash}");
        Assert.Equal(stored["data"]!["created_at"]!.GetValue<DateTime>(), half.Body["period_start"]!.GetValue<DateTime>());
        Assert.Equal(Sign(half.RawBody), half.Signature);
        Assert.StartsWith("application/json", half.ContentType, StringComparison.Ordinal);
        Assert.Equal("?token=receiver-secret", half.Query);

        // Above 50 % but short of 100 %: nothing new. Then exactly the whole limit: 100 % and only 100 %.
        Assert.Equal(0.4m, await SpendAsync(inference, 0.4m));
        Assert.Equal(0.6m, await SpendAsync(inference, 0.6m));
        var whole = await receiver.NextAsync();

        Assert.Equal(100, whole.Threshold);
        Assert.Equal(2m, whole.Body["spent"]!.GetValue<decimal>());
        Assert.Equal(Sign(whole.RawBody), whole.Signature);
        // The 1.4 USD batch was checked before the 1.0 USD one: a second 50 % alert would be recorded by now.
        var alerts = await AlertsWhenAsync(management, list => list.All(a => a!["webhook"]!.GetValue<string>() == "delivered"));
        Assert.Equal(new[] { 100, 50 }, alerts.Select(a => a!["threshold"]!.GetValue<int>()));
        Assert.All(alerts, a => Assert.Equal("key_limit", a!["kind"]!.GetValue<string>()));
        Assert.All(alerts, a => Assert.Equal("capped", a!["key_name"]!.GetValue<string>()));
        Assert.All(alerts, a => Assert.Equal(1, a!["webhook_attempts"]!.GetValue<int>()));
        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(2, (await management.GetObjectAsync("/web/alerts"))["data"]!["recent"]!.GetValue<int>());
    }

    [Fact]
    public async Task Balance_alerts_fire_on_the_credit_since_the_last_top_up_and_a_top_up_rearms_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (account, management) = await NewAccountAsync(2m, [50], receiver.Url);
        using var inference = fixture.Gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "spender" })).Key);

        Assert.Equal(1m, await SpendAsync(inference, 1m));
        var first = await receiver.NextAsync();

        Assert.Equal("spend_alert.balance", first.Body["type"]!.GetValue<string>());
        Assert.Equal(50, first.Threshold);
        Assert.Equal(1m, first.Body["spent"]!.GetValue<decimal>());
        Assert.Equal(2m, first.Body["of"]!.GetValue<decimal>());
        Assert.Null(first.Body["key_hash"]);

        // The top-up leaves 3 USD: spending exactly half of it fires 50 % again, in a new period.
        using (var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey))
        {
            await admin.AddCreditsAsync(account.Id, 2m);
        }
        Assert.Equal(1.5m, await SpendAsync(inference, 1.5m));
        var second = await receiver.NextAsync();

        Assert.Equal("spend_alert.balance", second.Body["type"]!.GetValue<string>());
        Assert.Equal(50, second.Threshold);
        Assert.Equal(1.5m, second.Body["spent"]!.GetValue<decimal>());
        Assert.Equal(3m, second.Body["of"]!.GetValue<decimal>());
        Assert.True(second.Body["period_start"]!.GetValue<DateTime>() > first.Body["period_start"]!.GetValue<DateTime>());
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task A_failed_webhook_post_is_retried_and_the_delivery_recorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        var (_, management) = await NewAccountAsync(2m, [50], receiver.Url);
        using var inference = fixture.Gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "spender" })).Key);

        await SpendAsync(inference, 1m);
        var refused = await receiver.NextAsync();
        var retried = await receiver.NextAsync();

        Assert.Equal(refused.RawBody, retried.RawBody);
        var alert = Assert.Single(await AlertsWhenAsync(management, list => list.Single()!["webhook"]!.GetValue<string>() == "delivered"))!;
        Assert.Equal("delivered", alert["webhook"]!.GetValue<string>());
        Assert.Equal(2, alert["webhook_attempts"]!.GetValue<int>());
        Assert.Null(alert["webhook_error"]);
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_is_recorded_as_failed_after_the_last_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 503, 502, 500);
        var (_, management) = await NewAccountAsync(2m, [50], receiver.Url);
        using var inference = fixture.Gateway.CreateGatewayClient((await management.CreateKeyAsync(new { name = "spender" })).Key);

        await SpendAsync(inference, 1m);
        for (var attempt = 1; attempt <= Fixture.Attempts; attempt++)
        {
            await receiver.NextAsync();
        }

        var alert = Assert.Single(await AlertsWhenAsync(management, list => list.Single()!["webhook"]!.GetValue<string>() == "failed"))!;
        Assert.Equal("failed", alert["webhook"]!.GetValue<string>());
        Assert.Equal(Fixture.Attempts, alert["webhook_attempts"]!.GetValue<int>());
        // The status class only: an exact status (or an address) would make retried posts a scanner.
        Assert.Equal("account webhook: delivery failed: the endpoint answered 5xx", alert["webhook_error"]!.GetValue<string>());
        Assert.Equal(Fixture.Attempts, receiver.Received.Count);
    }

    [Fact]
    public async Task Alert_settings_are_validated_and_saving_them_moves_the_accounts_settings_time()
    {
        var (account, management) = await NewAccountAsync(1m, [50, 80, 100], webhookUrl: null);
        var before = await SettingsUpdatedAtAsync(account.Id);
        object[] invalid =
        [
            new { thresholds = Array.Empty<int>(), webhook_url = (string?)null },
            new { thresholds = new[] { 0 }, webhook_url = (string?)null },
            new { thresholds = new[] { 101 }, webhook_url = (string?)null },
            new { thresholds = new[] { 50, 50 }, webhook_url = (string?)null },
            new { thresholds = Enumerable.Range(1, 11).ToArray(), webhook_url = (string?)null },
            new { thresholds = new[] { 50.5 }, webhook_url = (string?)null },
            new { thresholds = "50,80", webhook_url = (string?)null },
            new { webhook_url = (string?)null },
            new { thresholds = new[] { 50 } },
            new { thresholds = new[] { 50 }, webhook_url = "ftp://example.com/hook" },
            new { thresholds = new[] { 50 }, webhook_url = "/hook" },
            new { thresholds = new[] { 50 }, webhook_url = "https://example.com/" + new string('a', 1000) },
        ];
        foreach (var body in invalid)
        {
            using var response = await management.PutAsJsonAsync("/web/alerts/settings", body);
            var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;
            Assert.Equal(400, error["code"]!.GetValue<int>());
            Assert.Equal("invalid_request", error["metadata"]!["error_type"]!.GetValue<string>());
            Assert.Contains(error["metadata"]!["param"]!.GetValue<string>(), new[] { "thresholds", "webhook_url" });
        }
        Assert.Equal(new[] { 50, 80, 100 }, await ThresholdsAsync(management));

        using (var saved = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 90, 25 }, webhook_url = "https://example.com/hook" }))
        {
            var data = (await AccountClient.ReadObjectAsync(saved, HttpStatusCode.OK))["data"]!;
            Assert.Equal(new[] { 25, 90 }, data["thresholds"]!.AsArray().Select(t => t!.GetValue<int>()));
        }
        var settings = (await management.GetObjectAsync("/web/alerts"))["data"]!;
        Assert.Equal(new[] { 25, 90 }, settings["thresholds"]!.AsArray().Select(t => t!.GetValue<int>()));
        Assert.Equal("https://example.com/hook", settings["webhook_url"]!.GetValue<string>());
        Assert.True(await SettingsUpdatedAtAsync(account.Id) > before);
    }

    [Fact]
    public async Task An_account_sees_only_its_own_alerts_and_inference_keys_see_none()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, owner) = await NewAccountAsync(2m, [50], receiver.Url);
        var key = await owner.CreateKeyAsync(new { name = "spender" });
        using (var inference = fixture.Gateway.CreateGatewayClient(key.Key))
        {
            await SpendAsync(inference, 1m);
            await receiver.NextAsync();

            using var refused = await inference.GetAsync("/web/alerts");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        var (_, stranger) = await NewAccountAsync(2m, [50], webhookUrl: null);
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);

        Assert.Single((await owner.GetObjectAsync("/web/alerts"))["data"]!["alerts"]!.AsArray());
        foreach (var other in new[] { stranger, admin })
        {
            var data = (await other.GetObjectAsync("/web/alerts"))["data"]!;
            Assert.DoesNotContain(data["alerts"]!.AsArray(), a => a!["id"]!.GetValue<long>() == receiver.Received[0].Id);
        }
        Assert.Empty((await stranger.GetObjectAsync("/web/alerts"))["data"]!["alerts"]!.AsArray());
        using var cannotChange = await stranger.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 10 }, webhook_url = (string?)null });
        Assert.Equal(HttpStatusCode.OK, cannotChange.StatusCode);
        Assert.Equal(new[] { 50 }, await ThresholdsAsync(owner)); // the stranger changed its own settings only
    }

    [Fact]
    public async Task The_same_alert_is_recorded_once_however_many_replicas_record_it()
    {
        var (account, _) = await NewAccountAsync(1m, [50], webhookUrl: null);
        var store = fixture.Gateway.Services.GetRequiredService<SwitchboardStore>();
        var alert = () => new SpendAlert
        {
            AccountId = account.Id,
            Kind = SpendAlertKind.Balance,
            Subject = SpendAlertCrossings.BalanceSubject,
            Threshold = 50,
            PeriodStart = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc),
            Spent = 0.5m,
            Of = 1m,
            CreatedAt = DateTime.UtcNow,
        };

        var first = await store.WriteAsync(db => new SpendAlertStatements(db).InsertIfAbsentAsync(alert()));
        var second = await store.WriteAsync(db => new SpendAlertStatements(db).InsertIfAbsentAsync(alert()));

        Assert.NotNull(first);
        Assert.Null(second);
        await using var db = store.Read();
        var stored = await db.SpendAlerts.SingleAsync(a => a.AccountId == account.Id);
        Assert.Equal(first, stored.Id);
        Assert.Equal(0.5m, stored.Spent);
        Assert.Null(stored.Webhook);
    }

    [Theory]
    [InlineData("Switchboard:Alerts:WebhookUrl", "ftp://example.com/hook")]
    [InlineData("Switchboard:Alerts:WebhookUrl", "hooks/alerts")]
    [InlineData("Switchboard:Alerts:WebhookSecret", "short")]
    [InlineData("Switchboard:Alerts:WebhookAttempts", "0")]
    [InlineData("Switchboard:Alerts:WebhookTimeout", "00:00:00")]
    [InlineData("Switchboard:Alerts:WebhookRetryDelay", "-00:00:01")]
    [InlineData("Switchboard:Alerts:AllowedWebhookHosts:0", "10.0.0.1/8")]
    [InlineData("Switchboard:Alerts:AllowedWebhookHosts:0", "http://hooks.internal/")]
    public async Task Invalid_alert_settings_stop_start_up_naming_the_setting(string key, string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { [key] = value });
        });

        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(validation.Failures, f => f.Contains(key, StringComparison.Ordinal));
    }

    private static string Sign(string body) =>
        $"sha256={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body)))}";

    /// <summary>Spends exactly what the scripted usage costs at <c>test/billed</c>'s prices (0.001 and 0.002 USD a token).</summary>
    /// <summary>
    /// Spends exactly <paramref name="cost"/> USD on <c>test/billed</c> with a request whose hold is exactly its cost,
    /// so a key can spend its whole limit: the simulator reports the prompt at the hold's own bound (a token per byte
    /// plus the template overhead) and the rest of the cost as completion tokens, which max_tokens allows exactly.
    /// </summary>
    internal static async Task<decimal> SpendAsync(HttpClient inference, decimal cost)
    {
        var body = BillingTestKit.BodyCosting(cost);
        using var response = await inference.PostChatAsync(body);
        var json = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
        Assert.Equal(BillingTestKit.Hold(body), json["usage"]!["cost"]!.GetValue<decimal>());
        return json["usage"]!["cost"]!.GetValue<decimal>();
    }

    private async Task<(NamedAccount Account, HttpClient Management)> NewAccountAsync(decimal credits, int[] thresholds, string? webhookUrl)
    {
        using var admin = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var name = $"alerts-{Guid.NewGuid():n}";
        var account = await admin.CreateAccountAsync(name, credits);
        var management = fixture.Gateway.CreateGatewayClient(account.ManagementKey);
        using var saved = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds, webhook_url = webhookUrl });
        await AccountClient.ReadObjectAsync(saved, HttpStatusCode.OK);
        return (new NamedAccount(account.Id, name), management);
    }

    private static async Task<int[]> ThresholdsAsync(HttpClient management) =>
        [.. (await management.GetObjectAsync("/web/alerts"))["data"]!["thresholds"]!.AsArray().Select(t => t!.GetValue<int>())];

    /// <summary>
    /// The account's alerts once <paramref name="done"/> holds. A delivery's outcome is written just after the
    /// receiver answers, with nothing outside the gateway to await, so this reads until it shows (10 s at most).
    /// </summary>
    internal static async Task<JsonArray> AlertsWhenAsync(HttpClient management, Func<JsonArray, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var alerts = (await management.GetObjectAsync("/web/alerts"))["data"]!["alerts"]!.AsArray();
            if (done(alerts) || DateTime.UtcNow > deadline)
            {
                return alerts;
            }
            await Task.Delay(20);
        }
    }

    private async Task<DateTime> SettingsUpdatedAtAsync(long accountId)
    {
        await using var db = fixture.Gateway.Services.GetRequiredService<SwitchboardStore>().Read();
        return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.SettingsUpdatedAt).SingleAsync();
    }

    private sealed record NamedAccount(long Id, string Name);

    /// <summary>One gateway for the class: posts signed, and retries quick so the failure tests take milliseconds.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const int Attempts = 3;

        public GatewayFactory Gateway { get; private set; } = null!;

        public async Task InitializeAsync() => Gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Alerts:WebhookSecret"] = Secret,
            ["Switchboard:Alerts:WebhookAttempts"] = Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Switchboard:Alerts:WebhookRetryDelay"] = "00:00:00.050",
            // The receivers listen on loopback, which accounts' webhooks may reach only when the operator allows it.
            ["Switchboard:Alerts:AllowedWebhookHosts:0"] = "127.0.0.1",
        });

        public async Task DisposeAsync() => await Gateway.DisposeAsync();
    }
}
