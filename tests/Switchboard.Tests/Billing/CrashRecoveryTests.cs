using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Billing;

/// <summary>
/// The gateway is killed outright (SIGKILL) with streams in flight, then started again on the same database:
/// start-up releases every lease the dead process held, and the ledger balances.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Restart_after_SIGKILL_mid_stream_releases_every_lease_the_dead_process_held()
    {
        var port = GatewayProcess.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.ManagementKey);

        using var first = await StartGatewayAsync(port, http);
        try
        {
            var account = await http.CreateAccountAsync("crash", 100m);
            using var management = new HttpClient { BaseAddress = http.BaseAddress };
            management.DefaultRequestHeaders.Authorization = new("Bearer", account.ManagementKey);
            var key = await management.CreateKeyAsync(new { name = "streams" });
            using var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key.Key);

            // Five streams, each past its first content chunk when the process dies.
            var streams = new List<HttpResponseMessage>();
            for (var i = 0; i < 5; i++)
            {
                var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 1000, ["chunk_delay_ms"] = 100 }, stream: true);
                body["max_tokens"] = 2000; // holds about 4 USD each
                var response = await client.PostStreamAsync(body);
                await FirstContentAsync(response);
                streams.Add(response);
            }
            var before = await AuditAsync(http, account.Id);
            Assert.Equal(5, before["open_reservations"]!.GetValue<int>());
            Assert.True(before["reserved"]!.GetValue<decimal>() >= 20m, before.ToJsonString()); // the leases behind the five holds

            first.Kill();
            await first.WaitForExitAsync();
            streams.ForEach(s => s.Dispose());

            using var second = await StartGatewayAsync(port, http);
            try
            {
                var audit = await http.AssertLedgerBalancedAsync(account.Id);
                Assert.Equal(0m, audit["reserved"]!.GetValue<decimal>());
                Assert.Equal(100m, audit["balance"]!.GetValue<decimal>()); // released, not charged: the usage died with the process
            }
            finally
            {
                second.Kill();
            }
        }
        finally
        {
            first.Kill();
        }
    }

    private static async Task<JsonObject> AuditAsync(HttpClient admin, long accountId)
    {
        var audit = await admin.GetObjectAsync("/api/v1/admin/ledger/audit");
        return audit["data"]!.AsArray().Single(a => a!["account_id"]!.GetValue<long>() == accountId)!.AsObject();
    }

    private static async Task FirstContentAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await foreach (var message in SseClient.ReadAsync(response))
        {
            if (message.Data is not null && new[] { message.Json }.Text().Length > 0)
            {
                return;
            }
        }
        Assert.Fail("The stream ended before any content.");
    }

    private async Task<GatewayProcess> StartGatewayAsync(int port, HttpClient http)
    {
        var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
        settings["Switchboard:Database:DataDirectory"] = _dataDirectory;
        settings["Switchboard:Timeouts:StreamIdle"] = "00:01:00";
        return await GatewayProcess.StartAsync(port, http, settings);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Only a leftover temp directory.
        }
    }
}
