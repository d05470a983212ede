using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.RateLimiting;

/// <summary>
/// Issue 18's fleet: three gateway processes on one PostgreSQL database, each request of a burst sent to one of them
/// in turn, at once. A key's requests per minute, an account's free-model requests per day and an address's operator
/// password guesses per minute hold for the fleet (at most the limit, and the limit itself while the demand is
/// there: limits of 60 or less lease one request at a time, so nothing is left unused), and a restarted replica does
/// not reset them. Needs <c>SWITCHBOARD_TEST_POSTGRES</c>.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class FleetLimitTests
{
    private const string Password = "the operator's long password";

    [PostgresFact]
    public async Task A_key_with_30_requests_a_minute_gets_30_a_minute_through_three_replicas_and_no_more()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var fleet = await LimitFleet.StartAsync(database, ("Switchboard:RateLimits:RequestsPerMinute", "30"));
        var keys = await fleet.NewKeyAsync(credits: 100m);

        // Windows are UTC minutes: the burst starts early in one and must end in it (it takes a few seconds), and
        // every refusal names that minute's end as its reset.
        await AtStartOfAMinuteAsync();
        var sent = DateTimeOffset.UtcNow;
        var outcomes = await BurstAsync(90, i => keys[i % 3].PostChatAsync(ChatRequests.Body("test/multi")));
        var answered = DateTimeOffset.UtcNow;

        Assert.All(outcomes, o => Assert.Contains(o.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Equal(MinuteOf(sent), MinuteOf(answered));
        var admitted = outcomes.Count(o => o.Status == HttpStatusCode.OK);
        Assert.True(admitted == 30, $"{admitted} admitted of 90 in one minute across three replicas\n{fleet.Output}");
        var resets = outcomes.Where(o => o.Status == HttpStatusCode.TooManyRequests).Select(o => o.Reset).Distinct().ToList();
        Assert.Equal([(MinuteOf(sent) + 60) * 1000], resets);
        Assert.All(outcomes.Where(o => o.Status == HttpStatusCode.TooManyRequests), o => Assert.Equal("key_requests_per_minute", o.LimitSource));

        // A replica restarted within the minute finds the count where the fleet left it.
        if (DateTimeOffset.UtcNow.Second < 45)
        {
            await fleet.RestartAsync(0);
            using var afterRestart = await keys[0].PostChatAsync(ChatRequests.Body("test/multi"));
            if (MinuteOf(DateTimeOffset.UtcNow) == MinuteOf(sent))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, afterRestart.StatusCode);
            }
        }
    }

    [PostgresFact]
    public async Task An_account_s_ten_free_requests_a_day_hold_across_three_replicas_and_a_restart()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var fleet = await LimitFleet.StartAsync(database,
            ("Switchboard:RateLimits:FreeRequestsPerDay", "10"), ("Switchboard:RateLimits:FreeRequestsPerMinute", "1000"));
        var keys = await fleet.NewKeyAsync(credits: 0m);

        var outcomes = await BurstAsync(30, i => keys[i % 3].PostChatAsync(ChatRequests.Body("test/free:free")));

        Assert.All(outcomes, o => Assert.Contains(o.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.True(outcomes.Count(o => o.Status == HttpStatusCode.OK) == 10,
            string.Join(", ", outcomes.GroupBy(o => o.Status).Select(g => $"{g.Count()} × {(int)g.Key}")) + "\n" + fleet.Output);
        Assert.All(outcomes.Where(o => o.Status == HttpStatusCode.TooManyRequests), o => Assert.Equal("openrouter_free_tier_daily", o.LimitSource));
        foreach (var key in keys)
        {
            // Every replica reports the fleet's count, not its own.
            var allowance = (await key.GetObjectAsync("/api/v1/key"))["data"]!["free_model_daily_requests"]!;
            Assert.Equal(10, allowance["used"]!.GetValue<int>());
            Assert.Equal(0, allowance["remaining"]!.GetValue<int>());
        }

        await fleet.RestartAsync(1);
        using var afterRestart = await keys[1].PostChatAsync(ChatRequests.Body("test/free:free"));
        Assert.Equal(HttpStatusCode.TooManyRequests, afterRestart.StatusCode);
    }

    [PostgresFact]
    public async Task Ten_operator_password_guesses_a_minute_from_one_address_hold_across_three_replicas()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var fleet = await LimitFleet.StartAsync(database, ("Switchboard:Web:OperatorPassword", Password));
        var browsers = fleet.Anonymous();

        await AtStartOfAMinuteAsync();
        var sent = DateTimeOffset.UtcNow;
        var guesses = await BurstAsync(30, i => browsers[i % 3].PostAsJsonAsync("/web/session", new { password = $"guess {i}" }));
        var right = await BurstAsync(3, i => browsers[i].PostAsJsonAsync("/web/session", new { password = Password }));
        var answered = DateTimeOffset.UtcNow;

        Assert.Equal(MinuteOf(sent), MinuteOf(answered));
        Assert.All(guesses, o => Assert.Contains(o.Status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        var tried = guesses.Count(o => o.Status == HttpStatusCode.Unauthorized);
        Assert.True(tried == 10, $"{tried} guesses compared in one minute across three replicas\n{fleet.Output}");
        Assert.All(right, o => Assert.Equal(HttpStatusCode.TooManyRequests, o.Status)); // the right one too, on every replica
        Assert.All(right, o => Assert.Equal("operator_password_failures", o.LimitSource));
    }

    [PostgresFact]
    public async Task Tokens_a_key_used_on_one_replica_are_refused_on_the_others_within_two_sync_intervals()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var fleet = await LimitFleet.StartAsync(database, ("Switchboard:RateLimits:TokensPerMinute", "100"));
        var keys = await fleet.NewKeyAsync(credits: 100m);
        await AtStartOfAMinuteAsync();
        var sent = DateTimeOffset.UtcNow;
        foreach (var replica in new[] { 1, 2 })
        {
            using var before = await keys[replica].PostChatAsync(ChatRequests.Body("test/multi")); // each has read the count: 0
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var big = await keys[0].PostChatAsync(ChatRequests.Body("test/multi", new System.Text.Json.Nodes.JsonObject { ["tokens"] = 150 })))
        {
            Assert.Equal(HttpStatusCode.OK, big.StatusCode);
        }
        var settled = DateTimeOffset.UtcNow;

        // Replica 0 counted them itself; the others learn of them from the store within two 1 s intervals.
        using (var here = await keys[0].PostChatAsync(ChatRequests.Body("test/multi")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, here.StatusCode);
        }
        foreach (var replica in new[] { 1, 2 })
        {
            HttpStatusCode status;
            do
            {
                using var response = await keys[replica].PostChatAsync(ChatRequests.Body("test/multi", new System.Text.Json.Nodes.JsonObject { ["tokens"] = 1 }));
                status = response.StatusCode;
                Assert.True((int)status < 500);
            }
            while (status == HttpStatusCode.OK && DateTimeOffset.UtcNow - settled < TimeSpan.FromSeconds(10));
            var waited = DateTimeOffset.UtcNow - settled;
            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.True(waited < TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1), $"replica {replica} refused after {waited.TotalSeconds:0.0} s\n{fleet.Output}");
        }
        Assert.Equal(MinuteOf(sent), MinuteOf(DateTimeOffset.UtcNow));
    }

    /// <summary>Waits, if need be, so that what follows starts in the first 20 seconds of a UTC minute.</summary>
    private static async Task AtStartOfAMinuteAsync()
    {
        var now = DateTimeOffset.UtcNow;
        if (now.Second >= 20)
        {
            await Task.Delay(TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond) + TimeSpan.FromMilliseconds(200));
        }
    }

    private static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60 * 60;

    private sealed record Outcome(HttpStatusCode Status, string? LimitSource, long? Reset);

    /// <summary>Sends <paramref name="count"/> requests at once and reads each answer's status, limit source and window reset.</summary>
    private static async Task<Outcome[]> BurstAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, count).Select(async i =>
        {
            await start.WaitAsync();
            using var response = await send(i);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {body}");
            var source = response.StatusCode == HttpStatusCode.TooManyRequests
                ? System.Text.Json.Nodes.JsonNode.Parse(body)!["error"]!["metadata"]!["limit_source"]!.GetValue<string>()
                : null;
            long? reset = response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
                ? long.Parse(values.Single(), CultureInfo.InvariantCulture)
                : null;
            return new Outcome(response.StatusCode, source, reset);
        }).ToList();
        start.Release(count);
        return await Task.WhenAll(requests);
    }

    /// <summary>Three gateway processes on one PostgreSQL database, with an admin client each.</summary>
    private sealed class LimitFleet : IAsyncDisposable
    {
        private readonly TestPostgres _database;
        private readonly (string Key, string Value)[] _settings;
        private readonly List<(GatewayProcess Process, HttpClient Admin, int Port)> _replicas = [];
        private readonly List<HttpClient> _clients = [];

        private LimitFleet(TestPostgres database, (string Key, string Value)[] settings) => (_database, _settings) = (database, settings);

        public static async Task<LimitFleet> StartAsync(TestPostgres database, params (string Key, string Value)[] settings)
        {
            var fleet = new LimitFleet(database, settings);
            var ports = Enumerable.Range(0, 3).Select(_ => GatewayProcess.FreePort()).ToList();
            fleet._replicas.AddRange(await Task.WhenAll(ports.Select(fleet.StartOneAsync)));
            return fleet;
        }

        public string Output => string.Join("\n", _replicas.Select((r, i) => $"-- replica {i}:\n{r.Process.Output}"));

        /// <summary>A new account's inference key, as a client on every replica.</summary>
        public async Task<HttpClient[]> NewKeyAsync(decimal credits)
        {
            var account = await _replicas[0].Admin.CreateAccountAsync($"limits-{Guid.NewGuid():n}", credits);
            using var management = Client(_replicas[0].Port, account.ManagementKey);
            var key = await management.CreateKeyAsync(new { name = "limits" });
            return [.. _replicas.Select(r => Track(Client(r.Port, key.Key)))];
        }

        /// <summary>A client without a key on every replica (all from 127.0.0.1: one address).</summary>
        public HttpClient[] Anonymous() => [.. _replicas.Select(r => Track(Client(r.Port, null)))];

        public async Task RestartAsync(int replica)
        {
            var (process, admin, port) = _replicas[replica];
            process.Terminate();
            await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            process.Dispose();
            admin.Dispose();
            _replicas[replica] = await StartOneAsync(port);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
            foreach (var (process, admin, _) in _replicas)
            {
                process.Dispose();
                admin.Dispose();
            }
            await Task.Delay(100);
        }

        private HttpClient Track(HttpClient client)
        {
            _clients.Add(client);
            return client;
        }

        private async Task<(GatewayProcess, HttpClient, int)> StartOneAsync(int port)
        {
            var admin = Client(port, GatewayFactory.ManagementKey);
            var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
            settings["Switchboard:Database:Provider"] = "Postgres";
            settings["Switchboard:Database:ConnectionString"] = _database.ConnectionString;
            settings["Switchboard:Billing:InstanceName"] = "replica";
            // The fleet's guarantee is the store's: a generous timeout keeps a loaded machine from sending the
            // replicas to their fallback share (unit-tested apart, in FleetWindowCounterTests).
            settings["Switchboard:RateLimits:StoreTimeout"] = "00:00:10";
            foreach (var (key, value) in _settings)
            {
                settings[key] = value;
            }
            return (await GatewayProcess.StartAsync(port, admin, settings), admin, port);
        }

        private static HttpClient Client(int port, string? key)
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            if (key is not null)
            {
                client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            }
            return client;
        }
    }
}
