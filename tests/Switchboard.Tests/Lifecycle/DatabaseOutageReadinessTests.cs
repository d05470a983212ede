using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchboard.Tests.Lifecycle;

/// <summary>
/// A replica whose PostgreSQL goes away while it runs: the gateway cannot start without its database (it migrates
/// first), so the outage comes after the start, as in production. Its connections are terminated and the database
/// dropped; <c>/readyz</c> must then answer 503 naming the database, within the probe's own timeout, while
/// <c>/healthz</c> stays 200 (an orchestrator must take the replica out of rotation, not restart it), and never 500.
/// Needs <c>SWITCHBOARD_TEST_POSTGRES</c>.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DatabaseOutageReadinessTests(ITestOutputHelper output)
{
    /// <summary>The probe's database timeout (ReadinessProbe), plus its one-second cache, plus room for a loaded machine.</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(2);

    [PostgresFact]
    public async Task A_replica_whose_database_is_dropped_is_unready_naming_the_database_but_stays_alive()
    {
        var database = await TestPostgres.CreateAsync();
        await using var _ = database;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var port = GatewayProcess.FreePort();
        using var gateway = await GatewayProcess.StartAsync(port, http, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Switchboard:Database:Provider"] = "Postgres",
            ["Switchboard:Database:ConnectionString"] = database.ConnectionString,
            ["Switchboard:Admin:InitialManagementKey"] = GatewayFactory.ManagementKey,
            // Fast beats, so the heartbeat's own failures happen during the test too.
            ["Switchboard:Billing:HeartbeatInterval"] = "00:00:00.250",
            ["Switchboard:Billing:OwnerTimeout"] = "00:00:01",
        });
        var readyz = new Uri($"http://127.0.0.1:{port}/readyz");
        var healthz = new Uri($"http://127.0.0.1:{port}/healthz");

        var before = await AskAsync(http, readyz);
        Assert.True(before.Status == HttpStatusCode.OK, before.Body.ToJsonString());
        Assert.Equal("ok", before.Body["checks"]!["database"]!.GetValue<string>());

        // Every connection terminated and the database gone: the pool's connections break, new ones are refused.
        await database.DisposeAsync();
        var dropped = Stopwatch.StartNew();

        var answers = new List<(HttpStatusCode Status, TimeSpan Took, string Database)>();
        var unreadyAfter = TimeSpan.Zero;
        while (dropped.Elapsed < TimeSpan.FromSeconds(30))
        {
            var answer = await AskAsync(http, readyz);
            answers.Add((answer.Status, answer.Took, answer.Body["checks"]?["database"]?.GetValue<string>() ?? "?"));
            Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"/readyz answered {(int)answer.Status}: {answer.Body.ToJsonString()}");
            Assert.True(answer.Took < AnswerBound, $"/readyz took {answer.Took.TotalMilliseconds:0} ms, more than its timeout allows");
            if (answer.Status == HttpStatusCode.ServiceUnavailable)
            {
                unreadyAfter = dropped.Elapsed;
                Assert.Equal("unready", answer.Body["status"]!.GetValue<string>());
                Assert.True(NamesTheDatabase(answer.Body), answer.Body.ToJsonString());
                Assert.Equal("unknown", answer.Body["checks"]!["migrations"]!.GetValue<string>());
                break;
            }
            await Task.Delay(100);
        }
        Assert.True(unreadyAfter > TimeSpan.Zero, $"/readyz never turned unready: {string.Join(", ", answers)}");

        // It stays unready (the cached answer expires every second and is asked again) and alive, for longer than
        // several heartbeats have failed.
        using var alive = await http.GetAsync(healthz);
        for (var i = 0; i < 15; i++)
        {
            var answer = await AskAsync(http, readyz);
            answers.Add((answer.Status, answer.Took, answer.Body["checks"]?["database"]?.GetValue<string>() ?? "?"));
            Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable && NamesTheDatabase(answer.Body), answer.Body.ToJsonString());
            Assert.True(answer.Took < AnswerBound, $"/readyz took {answer.Took.TotalMilliseconds:0} ms, more than its timeout allows");
            using var live = await http.GetAsync(healthz);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            await Task.Delay(200);
        }
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.False(gateway.HasExited, gateway.Output);
        output.WriteLine($"unready {unreadyAfter.TotalMilliseconds:0} ms after the drop; slowest answer "
            + $"{answers.Max(a => a.Took).TotalMilliseconds:0} ms; answers: {string.Join(", ", answers.Select(a => $"{(int)a.Status} {a.Database} {a.Took.TotalMilliseconds:0} ms"))}");
    }

    /// <summary>The database check says why, in the probe's words: a driver's exception type, or its own timeout.</summary>
    private static bool NamesTheDatabase(JsonObject report) =>
        report["checks"]?["database"]?.GetValue<string>() is { } database
        && (database.StartsWith("unreachable (", StringComparison.Ordinal) || database == "the database did not answer in time");

    private static async Task<(HttpStatusCode Status, JsonObject Body, TimeSpan Took)> AskAsync(HttpClient http, Uri uri)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(uri);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (response.StatusCode, body, watch.Elapsed);
    }
}
