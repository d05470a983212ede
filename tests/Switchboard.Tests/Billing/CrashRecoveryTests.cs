using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Billing;

/// <summary>
/// The gateway is killed outright (SIGKILL) with streams in flight, then started again on the same database: the
/// new process (a new instance) finds the dead one's heartbeat stopped and reclaims every lease it held within the
/// reclaim bound, records its generations as interrupted, and the ledger balances.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Restart_after_SIGKILL_mid_stream_releases_every_lease_the_dead_process_held()
    {
        var port = GatewayProcess.FreePort();
        using var http = Client(new Uri($"http://127.0.0.1:{port}"), GatewayFactory.ManagementKey, TimeSpan.FromSeconds(30));

        using var first = await StartGatewayAsync(port, http);
        try
        {
            var account = await http.CreateAccountAsync("crash", 100m);
            using var management = Client(http.BaseAddress, account.ManagementKey);
            var key = await management.CreateKeyAsync(new { name = "streams" });
            using var client = Client(http.BaseAddress, key.Key, Timeout.InfiniteTimeSpan);

            // Five streams, each past its first content chunk and marked in flight when the process dies.
            var streams = new List<HttpResponseMessage>();
            var readers = new List<IAsyncEnumerator<SseMessage>>(); // kept open: a closed reader would be a client gone
            var ids = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 1000, ["chunk_delay_ms"] = 100 }, stream: true);
                body["max_tokens"] = 2000; // holds about 4 USD each
                var response = await client.PostStreamAsync(body);
                readers.Add(await FirstContentAsync(response));
                streams.Add(response);
                ids.Add(response.Headers.GetValues("X-Generation-Id").Single());
            }
            await Task.Delay(Switchboard.Instances.InFlightRegistry.MarkAfter + TimeSpan.FromSeconds(1)); // past a heartbeat that writes the markers
            var before = await AuditAsync(http, account.Id);
            Assert.Equal(5, before["open_reservations"]!.GetValue<int>());
            Assert.True(before["reserved"]!.GetValue<decimal>() >= 20m, before.ToJsonString()); // the leases behind the five holds

            first.Kill();
            await first.WaitForExitAsync();
            streams.ForEach(s => s.Dispose());

            using var second = await StartGatewayAsync(port, http);
            try
            {
                var audit = await PollAsync(() => AuditAsync(http, account.Id), a => a["reserved"]!.GetValue<decimal>() == 0m);
                await http.AssertLedgerBalancedAsync(account.Id);
                Assert.Equal(100m, audit["balance"]!.GetValue<decimal>()); // released, not charged: the usage died with the process
                foreach (var id in ids)
                {
                    var record = await BillingTestKit.GenerationAsync(management, id);
                    Assert.Equal(502, record["status"]!.GetValue<int>());
                    Assert.Equal(0m, record["total_cost"]!.GetValue<decimal>());
                }
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

    [Fact]
    public async Task After_SIGKILL_under_load_every_completion_a_client_received_is_charged_and_recorded_exactly_once()
    {
        var port = GatewayProcess.FreePort();
        using var http = Client(new Uri($"http://127.0.0.1:{port}"), GatewayFactory.ManagementKey, TimeSpan.FromSeconds(30));
        using var first = await StartGatewayAsync(port, http);
        var account = await http.CreateAccountAsync("load", 1_000m);
        using var management = Client(http.BaseAddress, account.ManagementKey);
        var key = await management.CreateKeyAsync(new { name = "load" });

        // 32 clients, half of them streaming, as fast as the gateway answers; each keeps what it fully received.
        var received = new System.Collections.Concurrent.ConcurrentBag<(string Id, decimal Cost)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            using var client = Client(http.BaseAddress, key.Key, TimeSpan.FromSeconds(10));
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var stream = i % 2 == 0;
                    var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 5 }, stream);
                    body["max_tokens"] = 5;
                    using var response = stream ? await client.PostStreamAsync(body) : await client.PostChatAsync(body);
                    var id = response.Headers.GetValues("X-Generation-Id").Single();
                    if (stream)
                    {
                        var messages = await SseClient.ReadAllAsync(response);
                        if (messages.Any(m => m.IsDone))
                        {
                            received.Add((id, messages.Chunks()[^1]["usage"]!["cost"]!.GetValue<decimal>()));
                        }
                    }
                    else if (response.StatusCode == HttpStatusCode.OK)
                    {
                        received.Add((id, (await response.JsonAsync())["usage"]!["cost"]!.GetValue<decimal>()));
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    // The process died under this request: what the client did not receive in full is not counted.
                }
            }
        })).ToList();
        while (received.Count < 300)
        {
            await Task.Delay(20);
        }

        first.Kill();
        await first.WaitForExitAsync();
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        var delivered = received.ToList();

        using var second = await StartGatewayAsync(port, http);
        try
        {
            await PollAsync(() => AuditAsync(http, account.Id), a => a["reserved"]!.GetValue<decimal>() == 0m);
            var audit = await http.AssertLedgerBalancedAsync(account.Id);
            var store = StoreReader.Sqlite(_dataDirectory);
            var charges = await store.ChargesAsync(account.Id);
            var records = await store.RecordsAsync(account.Id);
            Assert.All(delivered, d =>
            {
                Assert.Equal((1, d.Cost), charges.GetValueOrDefault(d.Id));
                Assert.Equal((200, d.Cost), records.GetValueOrDefault(d.Id));
            });
            Assert.All(charges.Values, c => Assert.Equal(1, c.Count)); // none charged twice, delivered or not
            Assert.Equal(1_000m - charges.Values.Sum(c => c.Sum), audit["balance"]!.GetValue<decimal>());
        }
        finally
        {
            second.Kill();
        }
    }

    [Fact]
    public async Task Completions_the_store_never_committed_are_charged_once_from_the_settlement_log_after_SIGKILL()
    {
        var port = GatewayProcess.FreePort();
        using var http = Client(new Uri($"http://127.0.0.1:{port}"), GatewayFactory.ManagementKey, TimeSpan.FromSeconds(30));
        // The journal would write in an hour: what the clients receive is in the settlement log only.
        var paced = new Dictionary<string, string?> { ["Switchboard:Billing:JournalInterval"] = "01:00:00" };
        var store = StoreReader.Sqlite(_dataDirectory);
        var logs = Path.Combine(_dataDirectory, "switchboard.db.settlements");
        using var first = await StartGatewayAsync(port, http, paced);
        var account = await http.CreateAccountAsync("logged", 100m);
        using var management = Client(http.BaseAddress, account.ManagementKey);
        var key = await management.CreateKeyAsync(new { name = "logged", limit = 50 });
        using var client = Client(http.BaseAddress, key.Key);

        var delivered = new List<(string Id, decimal Cost)>();
        for (var i = 0; i < 20; i++)
        {
            var stream = i % 2 == 0;
            var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 20 + i }, stream);
            body["max_tokens"] = 100;
            using var response = stream ? await client.PostStreamAsync(body) : await client.PostChatAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var id = response.Headers.GetValues("X-Generation-Id").Single();
            var cost = stream
                ? (await SseClient.ReadAllAsync(response)).Chunks()[^1]["usage"]!["cost"]!.GetValue<decimal>()
                : (await response.JsonAsync())["usage"]!["cost"]!.GetValue<decimal>();
            Assert.True(cost > 0m);
            delivered.Add((id, cost));
        }
        Assert.Empty(await store.ChargesAsync(account.Id)); // nothing committed: the log is all there is
        Assert.NotEmpty(Directory.GetFiles(logs, "*.log"));

        first.Kill();
        await first.WaitForExitAsync();
        var leftByTheDead = Directory.GetFiles(logs, "*.log").ToDictionary(f => f, File.ReadAllBytes);

        var total = delivered.Sum(d => d.Cost);
        using (var second = await StartGatewayAsync(port, http))
        {
            try
            {
                // Replayed before the first request is served, against the dead instance's leases.
                await AssertChargedOnceAsync(store, account.Id, delivered);
                Assert.Equal(100m - total, (await store.AccountAsync(account.Id)).Balance);
                Assert.Equal(total, (await client.GetObjectAsync("/api/v1/key"))["data"]!["usage"]!.GetValue<decimal>());
                Assert.DoesNotContain(leftByTheDead.Keys, File.Exists);
                await PollAsync(() => AuditAsync(http, account.Id), a => a["reserved"]!.GetValue<decimal>() == 0m);
                await http.AssertLedgerBalancedAsync(account.Id);
            }
            finally
            {
                second.Kill();
                await second.WaitForExitAsync();
            }
        }

        // The same log found again (a replayer that died before deleting it): everything in it is already written.
        foreach (var (path, bytes) in leftByTheDead)
        {
            await File.WriteAllBytesAsync(path, bytes);
        }
        using var third = await StartGatewayAsync(port, http);
        try
        {
            await AssertChargedOnceAsync(store, account.Id, delivered);
            Assert.DoesNotContain(leftByTheDead.Keys, File.Exists);
            var audit = await http.AssertLedgerBalancedAsync(account.Id);
            Assert.Equal(100m - total, audit["balance"]!.GetValue<decimal>());
        }
        finally
        {
            third.Kill();
        }
    }

    [Fact]
    public async Task A_spend_threshold_crossed_by_charges_only_the_settlement_log_held_is_alerted_once_they_are_replayed()
    {
        var port = GatewayProcess.FreePort();
        using var http = Client(new Uri($"http://127.0.0.1:{port}"), GatewayFactory.ManagementKey, TimeSpan.FromSeconds(30));
        var paced = new Dictionary<string, string?> { ["Switchboard:Billing:JournalInterval"] = "01:00:00" };
        using var first = await StartGatewayAsync(port, http, paced);
        var account = await http.CreateAccountAsync("alerted", 10m);
        using var management = Client(http.BaseAddress, account.ManagementKey);
        using (var saved = await management.PutAsJsonAsync("/web/alerts/settings", new { thresholds = new[] { 50 }, webhook_url = (string?)null }))
        {
            await AccountClient.ReadObjectAsync(saved, HttpStatusCode.OK);
        }
        using var client = Client(http.BaseAddress, (await management.CreateKeyAsync(new { name = "spender" })).Key);

        // 6 of 10 USD, received by the client and in the settlement log only: the store has not seen the crossing.
        Assert.Equal(6m, await Alerts.SpendAlertTests.SpendAsync(client, 6m));
        Assert.Empty(await StoreReader.Sqlite(_dataDirectory).ChargesAsync(account.Id));
        first.Kill();
        await first.WaitForExitAsync();

        // Started with nothing left to charge: only the replay can tell the alert monitor about the 6 USD.
        using var second = await StartGatewayAsync(port, http);
        try
        {
            var alerts = await Alerts.SpendAlertTests.AlertsWhenAsync(management, list => list.Count > 0);
            var alert = Assert.Single(alerts)!;
            Assert.Equal("balance", alert["kind"]!.GetValue<string>());
            Assert.Equal(50, alert["threshold"]!.GetValue<int>());
            // The dead instance's lease comes back within the reclaim bound; the 6 USD stay charged once.
            await PollAsync(() => AuditAsync(http, account.Id), a => a["reserved"]!.GetValue<decimal>() == 0m);
            var audit = await http.AssertLedgerBalancedAsync(account.Id);
            Assert.Equal(4m, audit["balance"]!.GetValue<decimal>());
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync();
        }
    }

    private static async Task AssertChargedOnceAsync(StoreReader store, long accountId, List<(string Id, decimal Cost)> delivered)
    {
        var charges = await store.ChargesAsync(accountId);
        var records = await store.RecordsAsync(accountId);
        Assert.Equal(delivered.Count, charges.Count);
        Assert.All(delivered, d =>
        {
            Assert.Equal((1, d.Cost), charges.GetValueOrDefault(d.Id));
            Assert.Equal((200, d.Cost), records.GetValueOrDefault(d.Id));
        });
    }

    private static async Task<JsonObject> AuditAsync(HttpClient admin, long accountId)
    {
        var audit = await admin.GetObjectAsync("/api/v1/admin/ledger/audit");
        return audit["data"]!.AsArray().Single(a => a!["account_id"]!.GetValue<long>() == accountId)!.AsObject();
    }

    private static async Task<JsonObject> PollAsync(Func<Task<JsonObject>> read, Func<JsonObject, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Reads up to the first content; the reader is returned still open, so the stream stays connected.</summary>
    private static async Task<IAsyncEnumerator<SseMessage>> FirstContentAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = SseClient.ReadAsync(response).GetAsyncEnumerator();
        while (await messages.MoveNextAsync())
        {
            if (messages.Current.Data is not null && new[] { messages.Current.Json }.Text().Length > 0)
            {
                return messages;
            }
        }
        Assert.Fail("The stream ended before any content.");
        return messages;
    }

    /// <summary>A client of the gateway at <paramref name="gateway"/> that sends <paramref name="key"/>.</summary>
    private static HttpClient Client(Uri? gateway, string key, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = gateway };
        if (timeout is { } limit)
        {
            client.Timeout = limit;
        }
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    private async Task<GatewayProcess> StartGatewayAsync(int port, HttpClient http, Dictionary<string, string?>? overrides = null)
    {
        var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
        settings["Switchboard:Database:DataDirectory"] = _dataDirectory;
        settings["Switchboard:Timeouts:StreamIdle"] = "00:01:00";
        settings["Switchboard:Billing:HeartbeatInterval"] = "00:00:00.200";
        settings["Switchboard:Billing:OwnerTimeout"] = "00:00:01";
        foreach (var (name, value) in overrides ?? [])
        {
            settings[name] = value;
        }
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
