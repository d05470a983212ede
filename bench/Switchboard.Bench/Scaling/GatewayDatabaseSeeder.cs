using Microsoft.Data.Sqlite;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// Writes accounts, API keys, ledger entries and generation records straight into a stopped gateway's SQLite file
/// (one the gateway has created and migrated), as the gateway would have written them over time. Values are bound as
/// .NET types, so Microsoft.Data.Sqlite formats them exactly as EF Core does for the gateway: decimals as TEXT
/// (<c>0.0###…</c>), DateTimes as TEXT (<c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, UTC), enums as their names. Every
/// account's balance equals the sum of its ledger entries, so the gateway's ledger audit stays balanced. Tables of
/// credit held for requests in flight are left alone: nothing seeded is in flight.
/// </summary>
internal sealed class GatewayDatabaseSeeder : IDisposable
{
    /// <summary>USD each seeded account was topped up with: far more than the seeded history and the bench spend.</summary>
    public const decimal TopUp = 1_000m;

    private const int RowsPerTransaction = 250_000;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Seeded history ends an hour ago, so nothing seeded looks recently changed to the gateway's key watcher.</summary>
    private readonly DateTime _historyEnd = WholeHour(DateTime.UtcNow.AddHours(-1));
    private readonly SqliteConnection _connection;

    /// <summary>The open transaction, which Microsoft.Data.Sqlite wants set on every command run inside it.</summary>
    private SqliteTransaction? _transaction;

    private GatewayDatabaseSeeder(SqliteConnection connection) => _connection = connection;

    /// <summary>
    /// Opens the file for a bulk load: no rollback journal and no fsync (a crash only costs the bench its seed), and a
    /// large page cache. <see cref="Dispose"/> puts the file back in WAL mode, which the gateway expects.
    /// </summary>
    public static GatewayDatabaseSeeder Open(string databasePath)
    {
        var connection = Connect(databasePath);
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON;");
        return new GatewayDatabaseSeeder(connection);
    }

    /// <summary>Folds a stopped gateway's write-ahead log into the main file, so the file alone can be copied.</summary>
    public static void Checkpoint(string databasePath)
    {
        using var connection = Connect(databasePath);
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    /// <summary>
    /// Inference keys with no limit, <see cref="SeededKeys.KeysPerAccount"/> to an account, each account topped up with
    /// <see cref="TopUp"/> (an account row and its ledger entry). Keys and accounts were created over the past year.
    /// </summary>
    public SeededIds SeedKeys(SeededKeys keys)
    {
        var ids = new SeededIds(NextId("accounts"), NextId("api_keys"));
        WithoutSecondaryIndexes(["accounts", "api_keys", "ledger"], () =>
        {
            using var account = Prepare(
                "INSERT INTO accounts (Id, Name, IsAdmin, Balance, Reserved, TotalPurchased, CreatedAt) VALUES ($id, $name, 0, $amount, '0.0', $amount, $at)",
                "$id", "$name", "$amount", "$at");
            using var topUp = Prepare(
                "INSERT INTO ledger (AccountId, ApiKeyId, Kind, Amount, GenerationId, Note, CreatedAt) VALUES ($id, NULL, 'TopUp', $amount, NULL, 'bench seed', $at)",
                "$id", "$amount", "$at");
            InBatches(keys.AccountCount, i =>
            {
                var createdAt = _historyEnd.AddDays(-365).AddSeconds(i * (300.0 * 86_400 / keys.AccountCount));
                account.Run(ids.Account(i), $"bench tenant {i}", TopUp, createdAt);
                topUp.Run(ids.Account(i), TopUp, createdAt);
            });

            // A key without a limit reset has its period start at DateTime.MinValue (LimitPeriod.Start).
            using var key = Prepare("""
                INSERT INTO api_keys (Id, AccountId, Hash, Label, Name, Kind, Disabled, "Limit", LimitReset, IncludeByokInLimit, ExpiresAt,
                                      Usage, ByokUsage, PeriodUsage, PeriodStart, Reserved, CreatedAt, UpdatedAt, DeletedAt)
                VALUES ($id, $account, $hash, $label, $name, 'Inference', 0, NULL, NULL, 0, NULL, '0.0', '0.0', '0.0', $periodStart, '0.0', $at, $at, NULL)
                """, "$id", "$account", "$hash", "$label", "$name", "$periodStart", "$at");
            InBatches(keys.Count, i =>
            {
                var secret = SeededKeys.Secret(i);
                var createdAt = _historyEnd.AddDays(-360).AddSeconds(i * (300.0 * 86_400 / keys.Count));
                key.Run(ids.Key(i), ids.Account(keys.AccountOf(i)), SeededKeys.Hash(secret), SeededKeys.Label(secret), $"bench key {i}",
                    DateTime.MinValue, createdAt);
            });
        });
        return ids;
    }

    /// <summary>
    /// <paramref name="count"/> successful generations over the past 90 days, in time order, spread at random over the
    /// keys and the catalog's models, each with its ledger charge; the keys' usage and the accounts' balances follow.
    /// </summary>
    public void SeedGenerations(long count, SeededKeys keys, SeededIds ids, ScalingCatalog catalog, Action<long> progress)
    {
        var random = new Random(42);
        var keyUsage = new decimal[keys.Count];
        var start = _historyEnd.AddDays(-90);
        var step = TimeSpan.FromDays(90).Ticks / Math.Max(count, 1);
        var suffix = new char[20];
        WithoutSecondaryIndexes(["generations", "ledger"], () =>
        {
            using var generation = Prepare("""
                INSERT INTO generations (Id, AccountId, ApiKeyId, CreatedAt, Day, RequestedModel, Model, ProviderName, ProviderSlug, Attempts,
                    Status, ErrorMessage, TokensPrompt, TokensCompletion, TokensReasoning, TokensCached, TokensCacheWrite, TokensEstimated,
                    Cost, UpstreamCost, IsByok, LatencyMs, TimeToFirstTokenMs, GenerationTimeMs, Throughput, FinishReason, NativeFinishReason,
                    Streamed, Cancelled, HttpReferer, AppTitle, "User")
                VALUES ($id, $account, $key, $at, $day, $model, $model, $providerName, $providerSlug, $attempts,
                    200, NULL, $prompt, $completion, 0, 0, 0, 0,
                    $cost, NULL, 0, $latency, $ttft, $generationTime, $throughput, 'stop', 'stop',
                    $streamed, 0, NULL, NULL, NULL)
                """,
                "$id", "$account", "$key", "$at", "$day", "$model", "$providerName", "$providerSlug", "$attempts",
                "$prompt", "$completion", "$cost", "$latency", "$ttft", "$generationTime", "$throughput", "$streamed");
            using var charge = Prepare(
                "INSERT INTO ledger (AccountId, ApiKeyId, Kind, Amount, GenerationId, Note, CreatedAt) VALUES ($account, $key, 'Charge', $amount, $id, NULL, $at)",
                "$account", "$key", "$amount", "$id", "$at");
            InBatches(count, i =>
            {
                var key = random.Next(keys.Count);
                var account = ids.Account(keys.AccountOf(key));
                var modelIndex = random.Next(catalog.Models.Count);
                var model = catalog.Models[modelIndex];
                var (providerSlug, providerName) = catalog.Providers[(modelIndex + random.Next(ScalingCatalog.EndpointsPerModel)) % catalog.Providers.Count];
                var createdAt = start.AddTicks(i * step);
                var prompt = 20 + random.Next(2_000);
                var completion = 10 + random.Next(800);
                var cost = (prompt * ScalingCatalog.PromptPrice + completion * ScalingCatalog.CompletionPrice) / 1_000_000m;
                var ttft = 80 + random.Next(600);
                var generationTime = completion * (5 + random.Next(20));
                random.GetItems(Alphabet.AsSpan(), suffix);
                // OpenRouter's id format, as the gateway makes it: gen-<unix seconds>-<20 alphanumerics>.
                var id = $"gen-{new DateTimeOffset(createdAt).ToUnixTimeSeconds()}-{suffix.AsSpan()}";
                keyUsage[key] += cost;

                generation.Run(id, account, ids.Key(key), createdAt, DateOnly.FromDateTime(createdAt), model, providerName, providerSlug,
                    $$"""[{"provider":"{{providerName}}","model":"{{model}}","status":200,"outcome":"success","latency_ms":{{ttft}}}]""",
                    prompt, completion, cost, ttft + generationTime, ttft, generationTime, Math.Round(completion * 1000.0 / generationTime, 2),
                    random.Next(3) > 0);
                charge.Run(account, ids.Key(key), -cost, id, createdAt);
            }, progress);
        });

        // Settlement moves the key's usage and the account's balance with every charge; do the same, once per row.
        using var transaction = Begin();
        using var usage = Prepare("UPDATE api_keys SET Usage = $usage, PeriodUsage = $usage WHERE Id = $id", "$usage", "$id");
        using var balance = Prepare("UPDATE accounts SET Balance = $balance WHERE Id = $id", "$balance", "$id");
        var accountSpend = new decimal[keys.AccountCount];
        for (var key = 0; key < keys.Count; key++)
        {
            accountSpend[keys.AccountOf(key)] += keyUsage[key];
            usage.Run(keyUsage[key], ids.Key(key));
        }

        for (var account = 0; account < keys.AccountCount; account++)
        {
            balance.Run(TopUp - accountSpend[account], ids.Account(account));
        }

        transaction.Commit();
    }

    public void Dispose()
    {
        try
        {
            Execute(_connection, "PRAGMA journal_mode=WAL;");
        }
        finally
        {
            _connection.Dispose();
        }
    }

    /// <summary>
    /// Drops the tables' secondary indexes for the load and builds them again after it: one sort per index instead of
    /// a random B-tree insert per row. The definitions are read from the file, so they are whatever the migrations made.
    /// </summary>
    private void WithoutSecondaryIndexes(string[] tables, Action load)
    {
        var indexes = new List<(string Name, string Sql)>();
        using (var query = _connection.CreateCommand())
        {
            query.CommandText =
                $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))})";
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            Execute(_connection, $"DROP INDEX \"{name}\";");
        }

        load();
        foreach (var (_, sql) in indexes)
        {
            Execute(_connection, sql + ";");
        }
    }

    /// <summary>Runs <paramref name="row"/> for 0 … <paramref name="count"/> − 1, committing every <see cref="RowsPerTransaction"/> rows.</summary>
    private void InBatches(long count, Action<long> row, Action<long>? progress = null)
    {
        for (long done = 0; done < count;)
        {
            using var transaction = Begin();
            var end = Math.Min(count, done + RowsPerTransaction);
            for (; done < end; done++)
            {
                row(done);
            }

            transaction.Commit();
            progress?.Invoke(done);
        }
    }

    private void InBatches(int count, Action<int> row) => InBatches((long)count, i => row((int)i));

    private long NextId(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(Id), 0) + 1 FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static DateTime WholeHour(DateTime time) => new(time.Year, time.Month, time.Day, time.Hour, 0, 0, DateTimeKind.Utc);

    private Statement Prepare(string sql, params string[] parameters) => new(this, sql, parameters);

    private SqliteTransaction Begin() => _transaction = _connection.BeginTransaction();

    private static SqliteConnection Connect(string databasePath)
    {
        // No pooling: the file must really be closed when the seeder is done, before the gateway opens it.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>An insert or update prepared once and run per row, its parameters bound by position.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly GatewayDatabaseSeeder _seeder;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter[] _parameters;

        public Statement(GatewayDatabaseSeeder seeder, string sql, string[] parameters)
        {
            _seeder = seeder;
            _command = seeder._connection.CreateCommand();
            _command.CommandText = sql;
            _parameters = [.. parameters.Select(name => _command.Parameters.Add(new SqliteParameter { ParameterName = name }))];
        }

        public void Run(params ReadOnlySpan<object> values)
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                _parameters[i].Value = values[i];
            }

            _command.Transaction = _seeder._transaction;
            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }
}

/// <summary>Where the seeded rows' ids start: key <c>i</c> has id <c>FirstKeyId + i</c>, account <c>i</c> likewise.</summary>
internal readonly record struct SeededIds(long FirstAccountId, long FirstKeyId)
{
    public long Account(int index) => FirstAccountId + index;

    public long Key(int index) => FirstKeyId + index;
}
