using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Instances;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Lifecycle;

/// <summary>
/// <c>/healthz</c> answers while the process serves; <c>/readyz</c> only while it should get traffic: the database
/// reachable with every migration applied, the journal's backlog below 90 % of its bound, and not draining
/// (the drain itself is checked in <see cref="GracefulStopTests"/>).
/// </summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task A_fresh_gateway_is_alive_and_ready_with_every_check_named()
    {
        await using var gateway = await GatewayFactory.StartAsync();
        using var client = gateway.CreateClient();

        using var alive = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("ok", (await alive.JsonAsync())["status"]!.GetValue<string>());

        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.JsonAsync();
        Assert.Equal("ready", report["status"]!.GetValue<string>());
        var checks = report["checks"]!;
        Assert.False(checks["draining"]!.GetValue<bool>());
        Assert.Equal("ok", checks["database"]!.GetValue<string>());
        Assert.Equal("ok", checks["migrations"]!.GetValue<string>());
        Assert.Equal("ok", checks["journal"]!.GetValue<string>());
        Assert.Equal(10_000, checks["journal_capacity"]!.GetValue<int>());
        Assert.Equal("ok", checks["key_ring"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_database_missing_a_migration_this_build_needs_is_not_ready()
    {
        await using var gateway = await GatewayFactory.StartAsync();
        // As if an older build's migrator had run: the newest migration is not in the history.
        await using (var db = new SqliteConnection($"Data Source={gateway.DatabasePath};Pooling=False"))
        {
            await db.OpenAsync();
            await using var delete = db.CreateCommand();
            delete.CommandText = """DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = (SELECT MAX("MigrationId") FROM "__EFMigrationsHistory")""";
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }
        using var client = gateway.CreateClient();

        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = await ready.JsonAsync();
        Assert.Equal("unready", report["status"]!.GetValue<string>());
        Assert.Equal("1 pending", report["checks"]!["migrations"]!.GetValue<string>());
        using var alive = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task A_journal_backlog_near_its_bound_turns_the_gateway_unready_until_it_clears()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Billing:JournalCapacity"] = "10",
        });
        using var client = gateway.CreateGatewayClient();
        using var probe = gateway.CreateClient();

        // The store stops taking writes: nine answered generations wait in the journal, 90 % of its bound.
        await using (var stall = await StoreStall.AfterOneRequestAsync(gateway, client))
        {
            for (var i = 0; i < 9; i++)
            {
                using var response = await client.PostChatAsync(ChatRequests.Body("test/multi"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            var unready = await ReadyzUntilAsync(probe, r => r["checks"]!["journal_backlog"]!.GetValue<int>() >= 9);
            Assert.Equal("unready", unready["status"]!.GetValue<string>());
            Assert.Equal("backlog near its bound", unready["checks"]!["journal"]!.GetValue<string>());
        }

        var ready = await ReadyzUntilAsync(probe, r => r["status"]!.GetValue<string>() == "ready");
        Assert.Equal("ok", ready["checks"]!["journal"]!.GetValue<string>());
        Assert.Equal(0, ready["checks"]!["journal_backlog"]!.GetValue<int>());
    }

    [Fact]
    public async Task Generations_still_running_leave_the_gateway_ready_however_many_there_are()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Billing:JournalCapacity"] = "2",
            ["Switchboard:Timeouts:NonStreamingResponse"] = "00:00:30",
        });
        using var client = gateway.CreateGatewayClient();
        using var probe = gateway.CreateClient();

        // Five generations held upstream, more than the journal's bound: none of them waits in the journal yet.
        var slow = Enumerable.Range(0, 5)
            .Select(_ => client.PostChatAsync(ChatRequests.Body("test/multi", new JsonObject { ["latency_ms"] = 3000 })))
            .ToList();
        var running = gateway.Services.GetRequiredService<InFlightRegistry>();
        var report = await ReadyzUntilAsync(probe, _ => running.Count == 5);
        Assert.Equal("ready", report["status"]!.GetValue<string>());
        Assert.Equal(0, report["checks"]!["journal_backlog"]!.GetValue<int>());

        foreach (var response in await Task.WhenAll(slow))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    /// <summary>The backlog moves with other processes' requests; there is no signal to await but the probe's answer.</summary>
    private static async Task<JsonObject> ReadyzUntilAsync(HttpClient probe, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var response = await probe.GetAsync("/readyz");
            var report = await response.JsonAsync();
            Assert.Equal(report["status"]!.GetValue<string>() == "ready" ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
            if (condition(report) || DateTime.UtcNow > deadline)
            {
                Assert.True(condition(report), $"/readyz never matched: {report.ToJsonString()}");
                return report;
            }
            await Task.Delay(50);
        }
    }
}
