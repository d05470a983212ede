using System.Net.Http.Json;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Alerts;

/// <summary>
/// A delivery still waiting to retry when the gateway stops stays pending in the store, and the next gateway on
/// that store delivers it. Also covers the operator's webhook (<c>Switchboard:Alerts:WebhookUrl</c>), which gets
/// every account's alerts and is trusted (it reaches these loopback receivers with no allow-list), and unsigned
/// posts when no secret is set.
/// </summary>
public sealed class PendingAlertWebhookTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task A_webhook_delivery_pending_when_the_gateway_stopped_is_made_by_the_next_start()
    {
        await using var down = await WebhookReceiver.StartAsync(500);
        await using var up = await WebhookReceiver.StartAsync();
        ReceivedPost failed;
        long accountId;
        await using (var first = await StartAsync(down.Url))
        {
            using var admin = first.CreateGatewayClient(GatewayFactory.ManagementKey);
            var account = await admin.CreateAccountAsync("left pending", 2m);
            accountId = account.Id;
            using var management = first.CreateGatewayClient(account.ManagementKey);
            using (var settings = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 50 }, webhook_url = (string?)null }))
            {
                settings.EnsureSuccessStatusCode();
            }
            using var inference = first.CreateGatewayClient((await management.CreateKeyAsync(new { name = "spender" })).Key);

            await SpendAlertTests.SpendAsync(inference, 1m);
            failed = await down.NextAsync();
        }

        await using var second = await StartAsync(up.Url);
        var delivered = await up.NextAsync();

        Assert.Equal(failed.RawBody, delivered.RawBody);
        Assert.Equal(accountId, delivered.Body["account_id"]!.GetValue<long>());
        Assert.Equal("spend_alert.balance", delivered.Event);
        Assert.Equal("", delivered.Signature); // no secret configured
        Assert.Single(down.Received);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A gateway on this test's store whose operator webhook is <paramref name="webhookUrl"/>; a failed post waits a minute.</summary>
    private Task<GatewayFactory> StartAsync(string webhookUrl) => GatewayFactory.StartAsync(new Dictionary<string, string?>
    {
        ["Switchboard:Database:DataDirectory"] = _dataDirectory,
        ["Switchboard:Alerts:WebhookUrl"] = webhookUrl,
        ["Switchboard:Alerts:WebhookRetryDelay"] = "00:01:00",
    });
}
