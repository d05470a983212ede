using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Billing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Instances;

/// <summary>
/// Three gateway processes on one PostgreSQL database, as an operator runs a fleet, all left with the same instance
/// name (the old shared default). Concurrent load across them never spends more than the balance or a key's limit;
/// a replica killed mid-stream has its credit back in the others' hands within the reclaim bound; restarting one,
/// under the same name or another, touches none of the others' leases; and replicas started at the same instant on
/// an empty database migrate once and create one admin account. Needs <c>SWITCHBOARD_TEST_POSTGRES</c>.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ReplicaFleetTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan OwnerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a dead replica's credit may stay out of reach: the owner timeout and two heartbeats.</summary>
    private static readonly TimeSpan ReclaimBound = OwnerTimeout + 2 * Heartbeat;

    [PostgresFact]
    public async Task Three_replicas_started_at_the_same_instant_on_an_empty_database_migrate_once_and_create_one_admin_account()
    {
        for (var trial = 0; trial < 10; trial++)
        {
            await using var database = await TestPostgres.CreateAsync();
            await using var fleet = await Fleet.StartAsync(database, replicas: 3);

            var store = StoreReader.Postgres(database.ConnectionString);
            Assert.Equal(1, await store.CountAsync("""SELECT COUNT(*) FROM accounts WHERE "IsAdmin" """));
            Assert.Equal(3, await store.CountAsync("SELECT COUNT(*) FROM gateway_instances"));
            Assert.Equal(await store.CountAsync("""SELECT COUNT(DISTINCT "MigrationId") FROM "__EFMigrationsHistory" """),
                await store.CountAsync("""SELECT COUNT(*) FROM "__EFMigrationsHistory" """));
        }
    }

    [PostgresTheory]
    [InlineData("credits")]
    [InlineData("key_limit")]
    public async Task Load_across_three_replicas_lets_through_what_the_budget_covers_and_never_more(string budget)
    {
        await using var database = await TestPostgres.CreateAsync();
        // Exact-size leases, so every hold is a grant in the store and the replicas compete for each one; the
        // grants queue behind each other, so on a busy machine they may take a while.
        await using var fleet = await Fleet.StartAsync(database, replicas: 3,
            ("Switchboard:Billing:LeaseSize", "0"), ("Switchboard:Billing:LeaseHolds", "1"), ("Switchboard:Billing:LeaseTimeout", "00:01:00"));
        JsonObject Body() => ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["latency_ms"] = 1500, ["tokens"] = 5 }, content: "Count to five.")
            .Also(b => b["max_tokens"] = 100);
        var hold = BillingTestKit.Hold(Body());
        var budgetUsd = hold * 10.5m;
        var (account, keys) = await fleet.NewAccountAsync(budget == "credits" ? budgetUsd : 1_000m, budget == "credits" ? null : budgetUsd);

        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 60).Select(async i =>
        {
            await start.WaitAsync();
            using var response = await keys[i % 3].PostChatAsync(Body());
            return (response.StatusCode, Body: await response.JsonAsync());
        }).ToList();
        start.Release(requests.Count);
        var outcomes = await Task.WhenAll(requests);

        // Ten holds fit at once, and sent together they are all admitted wherever they land. A request the machine
        // was slow to send may arrive after some have settled below their holds and returned the rest: the budget then
        // covers it too. Never more than the budget is spent.
        var statuses = string.Join(", ", outcomes.GroupBy(o => o.StatusCode).Select(g => $"{g.Count()} × {(int)g.Key}: {g.First().Body.ToJsonString()}")) + "\n" + fleet.Output;
        var served = outcomes.Where(o => o.StatusCode == HttpStatusCode.OK).ToList();
        Assert.True(served.Count >= 10, statuses);
        Assert.All(outcomes.Where(o => o.StatusCode != HttpStatusCode.OK), o =>
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, o.StatusCode);
            Assert.Equal(budget, o.Body["error"]!["metadata"]!["limit_source"]!.GetValue<string>());
        });
        var charged = served.Sum(o => o.Body["usage"]!["cost"]!.GetValue<decimal>());
        Assert.True(charged <= budgetUsd, $"charged {charged} of a budget of {budgetUsd}");
        var audit = await fleet.AssertCleanAsync(account.Id);
        Assert.Equal((budget == "credits" ? budgetUsd : 1_000m) - charged, audit["balance"]!.GetValue<decimal>());
    }

    [PostgresFact]
    public async Task When_a_replica_is_killed_mid_stream_the_others_spend_its_credit_again_within_the_reclaim_bound()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var fleet = await Fleet.StartAsync(database, replicas: 3);
        var (account, keys) = await fleet.NewAccountAsync(credits: 5m);

        // Replica 0 leases the whole balance for a long stream; replica 1 has nothing left to lease.
        var stream = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 600, ["chunk_delay_ms"] = 100 }, stream: true)
            .Also(b => b["max_tokens"] = 1_000);
        using var streaming = await keys[0].PostStreamAsync(stream);
        Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);
        var reader = SseClient.ReadAsync(streaming).GetAsyncEnumerator();
        await reader.MoveNextAsync();
        var small = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 5 }).Also(b => b["max_tokens"] = 5);
        using (var refused = await keys[1].PostChatAsync(small))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        }
        await Task.Delay(Switchboard.Instances.InFlightRegistry.MarkAfter + Heartbeat * 2); // its marker is written

        fleet.Kill(0);
        var killed = DateTime.UtcNow;
        HttpStatusCode status;
        do
        {
            using var retry = await keys[1].PostChatAsync(small);
            status = retry.StatusCode;
        }
        while (status == HttpStatusCode.PaymentRequired && DateTime.UtcNow - killed < TimeSpan.FromSeconds(20));
        var waited = DateTime.UtcNow - killed;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(waited <= ReclaimBound + TimeSpan.FromSeconds(1), $"credit came back after {waited.TotalSeconds:0.0} s; the bound is {ReclaimBound.TotalSeconds} s\n{fleet.Output}");
        var records = await StoreReader.Postgres(database.ConnectionString).RecordsAsync(account.Id);
        Assert.Equal((502, 0m), records[streaming.Headers.GetValues("X-Generation-Id").Single()]); // interrupted, not charged
        await fleet.AssertCleanAsync(account.Id);
    }

    [PostgresFact]
    public async Task Restarting_a_replica_under_the_same_name_or_another_releases_none_of_the_others_leases()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var fleet = await Fleet.StartAsync(database, replicas: 3);
        var (account, keys) = await fleet.NewAccountAsync(credits: 100m);

        // Streams of fifteen seconds on replicas 0 and 1 hold credit while replica 2 restarts twice.
        var streams = new List<(HttpResponseMessage Response, Task<List<SseMessage>> Read)>();
        decimal held = 0m;
        foreach (var replica in new[] { 0, 1 })
        {
            var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 150, ["chunk_delay_ms"] = 100 }, stream: true).Also(b => b["max_tokens"] = 1_000);
            held += BillingTestKit.Hold(body);
            var response = await keys[replica].PostStreamAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            streams.Add((response, SseClient.ReadAllAsync(response)));
        }
        var store = StoreReader.Postgres(database.ConnectionString);

        await fleet.RestartAsync(2, graceful: true);
        await fleet.RestartAsync(2, graceful: false, name: "another-name");
        await Task.Delay(ReclaimBound + Heartbeat); // long enough for a reclaim, had the restarts taken anyone else for dead

        // The two running streams' holds are still leased: no restart gave their credit back to the account.
        var (_, reserved) = await store.AccountAsync(account.Id);
        Assert.True(reserved >= held, $"reserved {reserved} USD while streams hold {held} USD");
        var delivered = new List<decimal>();
        foreach (var (response, read) in streams)
        {
            var messages = await read;
            Assert.True(messages[^1].IsDone);
            delivered.Add(messages.Chunks()[^1]["usage"]!["cost"]!.GetValue<decimal>());
            response.Dispose();
        }
        var audit = await PollAsync(() => fleet.AuditAsync(account.Id), a => a["balanced"]!.GetValue<bool>());
        Assert.Equal(100m - delivered.Sum(), audit["balance"]!.GetValue<decimal>());
    }

    private static async Task<JsonObject> PollAsync(Func<Task<JsonObject>> read, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Gateway processes on one database, each with its own admin client.</summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private readonly TestPostgres _database;
        private readonly (string Key, string Value)[] _settings;
        private readonly List<(GatewayProcess Process, HttpClient Admin, int Port)> _replicas = [];

        private Fleet(TestPostgres database, (string Key, string Value)[] settings) => (_database, _settings) = (database, settings);

        public static async Task<Fleet> StartAsync(TestPostgres database, int replicas, params (string Key, string Value)[] settings)
        {
            var fleet = new Fleet(database, settings);
            var ports = Enumerable.Range(0, replicas).Select(_ => GatewayProcess.FreePort()).ToList();
            var started = await Task.WhenAll(ports.Select(port => fleet.StartOneAsync(port, "replica")));
            fleet._replicas.AddRange(started);
            return fleet;
        }

        /// <summary>A new account with a key, and a client of that key on every replica.</summary>
        public async Task<(AccountClient.CreatedAccount Account, HttpClient[] Keys)> NewAccountAsync(decimal credits, decimal? limit = null)
        {
            var account = await _replicas[0].Admin.CreateAccountAsync($"fleet-{Guid.NewGuid():n}", credits);
            using var management = Client(_replicas[0].Port, account.ManagementKey);
            var key = await management.CreateKeyAsync(limit is { } max ? new { name = "fleet", limit = max } : new { name = "fleet", limit = (decimal?)null });
            return (account, [.. _replicas.Select(r => Client(r.Port, key.Key))]);
        }

        public async Task<JsonObject> AuditAsync(long accountId)
        {
            var audit = await _replicas[^1].Admin.GetObjectAsync("/api/v1/admin/ledger/audit");
            var account = audit["data"]!.AsArray().Single(a => a!["account_id"]!.GetValue<long>() == accountId)!.AsObject();
            account["balanced"] = audit["balanced"]!.GetValue<bool>() && account["balanced"]!.GetValue<bool>();
            return account;
        }

        public async Task<JsonObject> AssertCleanAsync(long accountId)
        {
            var account = await PollAsync(() => AuditAsync(accountId), a => a["balanced"]!.GetValue<bool>() && a["reserved"]!.GetValue<decimal>() >= 0m);
            Assert.True(account["balanced"]!.GetValue<bool>(), account.ToJsonString() + "\n" + Output);
            Assert.True(account["balance"]!.GetValue<decimal>() >= 0m, account.ToJsonString());
            Assert.Equal(0m, account["lowest_balance"]!.GetValue<decimal>());
            Assert.Equal(0m, account["uncollected"]!.GetValue<decimal>());
            return account;
        }

        public void Kill(int replica) => _replicas[replica].Process.Kill();

        /// <summary>What every replica wrote to its console (warnings and errors), for a failure's message.</summary>
        public string Output => string.Join("\n", _replicas.Select((r, i) => $"-- replica {i}:\n{r.Process.Output}"));

        public async Task RestartAsync(int replica, bool graceful, string name = "replica")
        {
            var (process, admin, port) = _replicas[replica];
            if (graceful)
            {
                process.Terminate();
                await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            }
            else
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            process.Dispose();
            admin.Dispose();
            _replicas[replica] = await StartOneAsync(port, name);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (process, admin, _) in _replicas)
            {
                process.Dispose();
                admin.Dispose();
            }
            await Task.Delay(100);
        }

        private async Task<(GatewayProcess, HttpClient, int)> StartOneAsync(int port, string name)
        {
            var admin = Client(port, GatewayFactory.ManagementKey);
            var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
            settings["Switchboard:Database:Provider"] = "Postgres";
            settings["Switchboard:Database:ConnectionString"] = _database.ConnectionString;
            settings["Switchboard:Billing:InstanceName"] = name;
            settings["Switchboard:Billing:HeartbeatInterval"] = Heartbeat.ToString();
            settings["Switchboard:Billing:OwnerTimeout"] = OwnerTimeout.ToString();
            settings["Switchboard:Timeouts:NonStreamingResponse"] = "00:00:30";
            settings["Switchboard:Timeouts:StreamIdle"] = "00:00:30";
            foreach (var (key, value) in _settings)
            {
                settings[key] = value;
            }
            return (await GatewayProcess.StartAsync(port, admin, settings), admin, port);
        }

        private static HttpClient Client(int port, string key)
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            return client;
        }
    }
}
