using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Billing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Lifecycle;

/// <summary>
/// SIGTERM, as an orchestrator sends it: the process turns unready at once and takes no new generations, lets the
/// ones in flight finish (longer than the host's old 30 s default), charges and records every one, gives every lease
/// back, and exits 0. Streams still running at the drain deadline end with an error chunk and are charged for what
/// was delivered. What was written is read from the store itself once the process has gone.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class GracefulStopTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task On_SIGTERM_streams_longer_than_thirty_seconds_run_to_completion_and_every_one_is_charged()
    {
        var (gateway, http, account, client) = await StartWithAccountAsync(drainTimeout: null);
        using (gateway)
        {
            // Three streams of 36 s each: 360 events 100 ms apart.
            var streams = new List<(HttpResponseMessage Response, Task<List<SseMessage>> Read)>();
            for (var i = 0; i < 3; i++)
            {
                var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 360, ["chunk_delay_ms"] = 100 }, stream: true);
                body["max_tokens"] = 400;
                var response = await client.PostStreamAsync(body);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                streams.Add((response, SseClient.ReadAllAsync(response)));
            }
            await Task.Delay(1_000);

            gateway.Terminate();

            // Unready at once: /health says so on an open connection, or the listener is already closed.
            Assert.True(await IsUnreadyAsync(http), "/health still answers ok after SIGTERM");
            using (var late = new HttpClient { BaseAddress = http.BaseAddress })
            {
                late.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
                Assert.True(await RefusedAsync(late), "a new generation was accepted after SIGTERM");
            }

            var delivered = new List<(string Id, decimal Cost)>();
            foreach (var (response, read) in streams)
            {
                var messages = await read;
                Assert.True(messages[^1].IsDone, "a stream did not run to its end");
                delivered.Add((response.Headers.GetValues("X-Generation-Id").Single(), messages.Chunks()[^1]["usage"]!["cost"]!.GetValue<decimal>()));
                response.Dispose();
            }
            await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, gateway.ExitCode);

            var store = StoreReader.Sqlite(_dataDirectory);
            var charges = await store.ChargesAsync(account.Id);
            var records = await store.RecordsAsync(account.Id);
            Assert.All(delivered, d =>
            {
                Assert.Equal((1, d.Cost), charges[d.Id]);
                Assert.Equal((200, d.Cost), records[d.Id]);
            });
            var (balance, reserved) = await store.AccountAsync(account.Id);
            Assert.Equal(0m, reserved); // every lease given back
            Assert.Equal(100m - delivered.Sum(d => d.Cost), balance);
            Assert.Equal(0, await store.CountAsync("SELECT COUNT(*) FROM credit_leases"));
            Assert.Equal(0, await store.CountAsync("SELECT COUNT(*) FROM gateway_instances"));
        }
    }

    [Fact]
    public async Task At_the_drain_deadline_a_stream_still_running_ends_with_an_error_and_is_charged_for_what_it_delivered()
    {
        var (gateway, _, account, client) = await StartWithAccountAsync(drainTimeout: TimeSpan.FromSeconds(2));
        using (gateway)
        {
            var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 600, ["chunk_delay_ms"] = 100 }, stream: true);
            body["max_tokens"] = 600;
            using var response = await client.PostStreamAsync(body);
            var read = SseClient.ReadAllAsync(response);
            await Task.Delay(1_000);

            gateway.Terminate();
            var messages = await read;
            await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, gateway.ExitCode);
            Assert.DoesNotContain(messages, m => m.IsDone);
            var last = messages.Chunks()[^1];
            Assert.Equal("error", last["choices"]![0]!["finish_reason"]!.GetValue<string>());
            Assert.Equal("shutting_down", last["error"]!["metadata"]!["error_type"]!.GetValue<string>());
            var delivered = messages.Chunks().Text();
            Assert.InRange(delivered.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, 10, 100); // about three seconds' worth
            var cost = last["usage"]!["cost"]!.GetValue<decimal>();
            Assert.True(cost > 0m);

            var store = StoreReader.Sqlite(_dataDirectory);
            var id = response.Headers.GetValues("X-Generation-Id").Single();
            Assert.Equal((1, cost), (await store.ChargesAsync(account.Id))[id]);
            Assert.Equal(cost, (await store.RecordsAsync(account.Id))[id].Cost);
            Assert.Equal((100m - cost, 0m), await store.AccountAsync(account.Id));
        }
    }

    private async Task<(GatewayProcess Gateway, HttpClient Admin, AccountClient.CreatedAccount Account, HttpClient Client)> StartWithAccountAsync(TimeSpan? drainTimeout)
    {
        var port = GatewayProcess.FreePort();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(90) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.ManagementKey);
        var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
        settings["Switchboard:Database:DataDirectory"] = _dataDirectory;
        settings["Switchboard:Timeouts:StreamIdle"] = "00:01:00";
        if (drainTimeout is { } drain)
        {
            settings["Switchboard:Shutdown:DrainTimeout"] = drain.ToString();
        }
        var gateway = await GatewayProcess.StartAsync(port, http, settings);
        var account = await http.CreateAccountAsync("draining", 100m);
        using var management = new HttpClient { BaseAddress = http.BaseAddress };
        management.DefaultRequestHeaders.Authorization = new("Bearer", account.ManagementKey);
        var key = await management.CreateKeyAsync(new { name = "streams" });
        var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.Key);
        return (gateway, http, account, client);
    }

    private static async Task<bool> IsUnreadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var health = await http.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    // Kubernetes' readiness probe says the same, from the same moment.
                    using var ready = await http.GetAsync("/readyz");
                    var report = await ready.JsonAsync();
                    return (await health.JsonAsync())["status"]!.GetValue<string>() == "draining"
                        && ready.StatusCode == HttpStatusCode.ServiceUnavailable
                        && report["status"]!.GetValue<string>() == "draining" && report["checks"]!["draining"]!.GetValue<bool>();
                }
            }
            catch (HttpRequestException)
            {
                return true; // no longer listening
            }
            await Task.Delay(20);
        }
        return false;
    }

    private static async Task<bool> RefusedAsync(HttpClient client)
    {
        try
        {
            using var response = await client.PostChatAsync(ChatRequests.Body(BillingTestKit.Model).Also(b => b["max_tokens"] = 5));
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }
        catch (HttpRequestException)
        {
            return true;
        }
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
}
