using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Simulator;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Security;

/// <summary>
/// The data-protection key ring lives in the database: gateway processes with separate data directories on one
/// PostgreSQL share sessions and accounts' stored provider keys; replicas started together make one key between
/// them; a replica with another encryption key is unready, says why, and never bills an account's unreadable own
/// key at full price; and an installation's <c>&lt;DataDirectory&gt;/web-keys</c> is imported once, so what it
/// protected stays readable. Fleet tests need <c>SWITCHBOARD_TEST_POSTGRES</c>.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class SharedKeyRingTests
{
    private const string OwnKey = "sk-own-alpha-5d1e8c7b2a9f4e60";

    [PostgresFact]
    public async Task Replicas_started_together_make_one_key_and_share_sessions_and_own_provider_keys()
    {
        await using var database = await TestPostgres.CreateAsync();
        var simulator = await SharedSimulator.GetAsync();
        await using var fleet = await Replicas.StartAsync(database, simulator, [null, null, null]);

        // One key between them: the first to take the start-up lock made it, the others found it.
        var store = StoreReader.Postgres(database.ConnectionString);
        Assert.Equal(1, await store.CountAsync("""SELECT COUNT(*) FROM data_protection_keys WHERE "Name" LIKE 'key-%'"""));

        // A session made on replica 1 is valid on replica 3 (and 2): separate data directories, one ring.
        var cookie = await fleet.SignInAsync(0);
        Assert.Equal(HttpStatusCode.OK, await fleet.SessionStatusAsync(2, cookie));
        Assert.Equal(HttpStatusCode.OK, await fleet.SessionStatusAsync(1, cookie));

        // A provider key saved through replica 1 is used, and billed as BYOK, through replica 3.
        var (manager, callers) = await fleet.NewAccountAsync();
        using (var saved = await manager.PutAsJsonAsync("/web/provider-keys/alpha", new { key = OwnKey }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }
        var body = ChatRequests.Body("test/billed");
        using var response = await callers[2].PostChatAsync(body);
        var usage = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!;
        Assert.True(usage["is_byok"]!.GetValue<bool>(), fleet.Output);
        Assert.Equal("Bearer " + OwnKey, simulator.Requests.Snapshot().Single(r => r.Body.Contains(body.Marker())).Authorization);
    }

    [PostgresFact]
    public async Task A_replica_with_another_encryption_key_is_unready_naming_the_setting_and_never_bills_an_own_key_at_full_price()
    {
        await using var database = await TestPostgres.CreateAsync();
        var simulator = await SharedSimulator.GetAsync();
        var fleetKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var strayKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var fleet = await Replicas.StartAsync(database, simulator, [fleetKey]);
        await fleet.AddAsync(strayKey);

        // The stray replica says why it should get no traffic, naming the setting; the other stays ready.
        var (status, report) = await fleet.ReadinessAsync(1);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var reason = report["checks"]!["key_ring"]!.GetValue<string>();
        Assert.Contains("cannot be decrypted on this replica", reason, StringComparison.Ordinal);
        Assert.Contains("Switchboard:DataProtection:EncryptionKey", reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ReadinessAsync(0)).Status);
        // It added no key of its own, which the good replica could not have read.
        var store = StoreReader.Postgres(database.ConnectionString);
        Assert.Equal(1, await store.CountAsync("""SELECT COUNT(*) FROM data_protection_keys WHERE "Name" LIKE 'key-%'"""));

        var (manager, callers) = await fleet.NewAccountAsync();
        using (var saved = await manager.PutAsJsonAsync("/web/provider-keys/alpha", new { key = OwnKey }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        // test/billed is served by alpha alone: through the stray replica it fails clearly, and nothing went upstream.
        var alphaOnly = ChatRequests.Body("test/billed");
        using (var refused = await callers[1].PostChatAsync(alphaOnly))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var error = (await refused.JsonAsync())["error"]!;
            Assert.Equal("provider_key_unreadable", error["metadata"]!["error_type"]!.GetValue<string>());
            var message = error["message"]!.GetValue<string>();
            Assert.Contains("stored key for alpha cannot be decrypted on this replica", message, StringComparison.Ordinal);
            Assert.Contains("Switchboard:DataProtection", message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(simulator.Requests.Snapshot(), r => r.Body.Contains(alphaOnly.Marker()));

        // test/multi has other providers: the stray replica routes over them, never alpha on the gateway's key.
        for (var i = 0; i < 5; i++)
        {
            var multi = ChatRequests.Body("test/multi");
            using var routed = await callers[1].PostChatAsync(multi);
            var served = await AccountClient.ReadObjectAsync(routed, HttpStatusCode.OK);
            Assert.NotEqual("Alpha", served["provider"]!.GetValue<string>());
            Assert.DoesNotContain(simulator.Requests.Snapshot(), r => r.Body.Contains(multi.Marker()) && r.Authorization == "Bearer key-alpha");
        }

        // The good replica reads the key: BYOK, on the account's credential.
        var good = ChatRequests.Body("test/billed");
        using var byok = await callers[0].PostChatAsync(good);
        Assert.True((await AccountClient.ReadObjectAsync(byok, HttpStatusCode.OK))["usage"]!["is_byok"]!.GetValue<bool>());
        Assert.Equal("Bearer " + OwnKey, simulator.Requests.Snapshot().Single(r => r.Body.Contains(good.Marker())).Authorization);
    }

    [PostgresFact]
    public async Task Replicas_started_together_import_the_same_web_keys_directory_once()
    {
        await using var database = await TestPostgres.CreateAsync();
        var simulator = await SharedSimulator.GetAsync();
        // The same old ring (as an installation's replicas shared it on disk), copied into every replica's data directory.
        var legacy = Directory.CreateTempSubdirectory("switchboard-legacy-ring-").FullName;
        var secret = LegacyRing.Protect(legacy, OwnKey);
        var files = Directory.GetFiles(legacy, "*.xml").Length;
        var directories = Enumerable.Range(0, 3).Select(_ => Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"))).ToList();
        foreach (var directory in directories)
        {
            LegacyRing.CopyTo(legacy, Path.Combine(directory, "web-keys"));
        }

        await using var fleet = await Replicas.StartAsync(database, simulator, [null, null, null], directories);

        var store = StoreReader.Postgres(database.ConnectionString);
        Assert.Equal(files, await store.CountAsync("SELECT COUNT(*) FROM data_protection_keys"));
        // What the old ring protected is readable: an account's provider key stored before the upgrade is used as BYOK.
        var (manager, callers) = await fleet.NewAccountAsync();
        using (var saved = await manager.PutAsJsonAsync("/web/provider-keys/alpha", new { key = "sk-placeholder-0000000000" }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("""UPDATE account_provider_keys SET "Ciphertext" = @c""", connection);
            update.Parameters.AddWithValue("c", secret);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        // No replica has read the account's keys yet (they are read at its first request), so none holds the placeholder.
        var body = ChatRequests.Body("test/billed");
        using var response = await callers[1].PostChatAsync(body);
        Assert.True((await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!["is_byok"]!.GetValue<bool>());
        Assert.Equal("Bearer " + OwnKey, simulator.Requests.Snapshot().Single(r => r.Body.Contains(body.Marker())).Authorization);
    }

    [Fact]
    public async Task An_upgrade_imports_the_web_keys_directory_once_and_keeps_sessions_and_own_provider_keys_readable()
    {
        var data = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));
        var settings = new Dictionary<string, string?> { ["Switchboard:Database:DataDirectory"] = data };
        var simulator = await SharedSimulator.GetAsync();
        string cookie;
        string callerKey;
        try
        {
            await using (var before = await GatewayFactory.StartAsync(settings))
            {
                cookie = await KeyRingEncryptionTests.SignInAsync(before);
                var account = await before.CreateGatewayClient(GatewayFactory.ManagementKey).CreateAccountAsync("upgrade", 10m);
                using var manager = before.CreateGatewayClient(account.ManagementKey);
                callerKey = (await manager.CreateKeyAsync(new { name = "calls" })).Key;
                using var saved = await manager.PutAsJsonAsync("/web/provider-keys/alpha", new { key = OwnKey });
                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            }
            // As the previous version left it: the ring in <DataDirectory>/web-keys, one file per element, none in the store.
            var moved = await MoveRingToDirectoryAsync(data);
            Assert.True(moved > 0);

            for (var start = 0; start < 2; start++)
            {
                await using var after = await GatewayFactory.StartAsync(settings);
                Assert.Equal(HttpStatusCode.OK, await KeyRingEncryptionTests.SessionStatusAsync(after, cookie));
                using var caller = after.CreateGatewayClient(callerKey);
                var body = ChatRequests.Body("test/billed");
                using var response = await caller.PostChatAsync(body);
                Assert.True((await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!["is_byok"]!.GetValue<bool>());
                Assert.Equal("Bearer " + OwnKey, simulator.Requests.Snapshot().Single(r => r.Body.Contains(body.Marker())).Authorization);
                // Imported once: the second start finds every element already there and adds none (nor a new key).
                Assert.Equal(moved, await StoreReader.Sqlite(data).CountAsync("SELECT COUNT(*) FROM data_protection_keys"));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Writes the stored ring out as <c>FileSystemXmlRepository</c> did (<c>{name}.xml</c>) and empties the table.</summary>
    private static async Task<int> MoveRingToDirectoryAsync(string data)
    {
        var directory = Directory.CreateDirectory(Path.Combine(data, "web-keys")).FullName;
        await using var db = new SqliteConnection($"Data Source={Path.Combine(data, "switchboard.db")};Pooling=False");
        await db.OpenAsync();
        var count = 0;
        await using (var select = db.CreateCommand())
        {
            select.CommandText = """SELECT "Name", "Xml" FROM data_protection_keys""";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                await File.WriteAllTextAsync(Path.Combine(directory, reader.GetString(0) + ".xml"),
                    System.Xml.Linq.XElement.Parse(reader.GetString(1)).ToString());
                count++;
            }
        }
        await using var delete = db.CreateCommand();
        delete.CommandText = "DELETE FROM data_protection_keys";
        await delete.ExecuteNonQueryAsync();
        return count;
    }

    /// <summary>A key ring as the previous version kept it on disk, made with ASP.NET Core's own file repository.</summary>
    private static class LegacyRing
    {
        public static string Protect(string directory, string secret)
        {
            var provider = DataProtectionProvider.Create(new DirectoryInfo(directory), builder => builder.SetApplicationName("Switchboard"));
            return provider.CreateProtector("Switchboard.AccountProviderKeys.v1").Protect(secret);
        }

        public static void CopyTo(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }
    }

    /// <summary>Gateway processes on one PostgreSQL database, each with its own data directory and encryption key.</summary>
    private sealed class Replicas : IAsyncDisposable
    {
        private readonly TestPostgres _database;
        private readonly SimulatorServer _simulator;
        private readonly List<(GatewayProcess Process, HttpClient Admin, int Port, string Data)> _replicas = [];

        private Replicas(TestPostgres database, SimulatorServer simulator) => (_database, _simulator) = (database, simulator);

        /// <summary>Starts one replica per encryption key (null: none), all at once.</summary>
        public static async Task<Replicas> StartAsync(TestPostgres database, SimulatorServer simulator, string?[] keys, List<string>? directories = null)
        {
            var fleet = new Replicas(database, simulator);
            fleet._replicas.AddRange(await Task.WhenAll(keys.Select((key, i) => fleet.StartOneAsync(key, directories?[i]))));
            return fleet;
        }

        public async Task AddAsync(string? key) => _replicas.Add(await StartOneAsync(key, null));

        public string Output => string.Join("\n", _replicas.Select((r, i) => $"-- replica {i}:\n{r.Process.Output}"));

        public async Task<string> SignInAsync(int replica)
        {
            using var client = Client(replica, key: null);
            using var signIn = await client.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey });
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            return signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sb_session=", StringComparison.Ordinal)).Split(';')[0];
        }

        public async Task<HttpStatusCode> SessionStatusAsync(int replica, string cookie)
        {
            using var client = Client(replica, key: null);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/web/session");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        public async Task<(HttpStatusCode Status, JsonObject Report)> ReadinessAsync(int replica)
        {
            using var client = Client(replica, key: null);
            using var response = await client.GetAsync("/readyz");
            return (response.StatusCode, await response.JsonAsync());
        }

        /// <summary>A new account; its management client on replica 0, and a client of its inference key on every replica.</summary>
        public async Task<(HttpClient Manager, HttpClient[] Callers)> NewAccountAsync()
        {
            var account = await _replicas[0].Admin.CreateAccountAsync($"ring-{Guid.NewGuid():n}", 10m);
            var manager = Client(0, account.ManagementKey);
            var key = (await manager.CreateKeyAsync(new { name = "calls" })).Key;
            return (manager, [.. _replicas.Select((_, i) => Client(i, key))]);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (process, admin, _, _) in _replicas)
            {
                process.Dispose();
                admin.Dispose();
            }
            await Task.Delay(100);
            foreach (var (_, _, _, data) in _replicas)
            {
                try
                {
                    Directory.Delete(data, recursive: true);
                }
                catch (IOException)
                {
                    // Only a leftover temp directory.
                }
            }
        }

        private async Task<(GatewayProcess, HttpClient, int, string)> StartOneAsync(string? encryptionKey, string? dataDirectory)
        {
            var port = GatewayProcess.FreePort();
            var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            admin.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.ManagementKey);
            var settings = GatewayFactory.DefaultSettings(_simulator, useTestCatalog: true);
            settings["Switchboard:Database:Provider"] = "Postgres";
            settings["Switchboard:Database:ConnectionString"] = _database.ConnectionString;
            if (dataDirectory is not null)
            {
                settings["Switchboard:Database:DataDirectory"] = dataDirectory;
            }
            if (encryptionKey is not null)
            {
                settings["Switchboard:DataProtection:EncryptionKey"] = encryptionKey;
            }
            var process = await GatewayProcess.StartAsync(port, admin, settings);
            return (process, admin, port, settings["Switchboard:Database:DataDirectory"]!);
        }

        private HttpClient Client(int replica, string? key)
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_replicas[replica].Port}"), Timeout = TimeSpan.FromSeconds(60) };
            if (key is not null)
            {
                client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            }
            return client;
        }
    }
}
