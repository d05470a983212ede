using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Accounts;
using Switchboard.Alerts;
using Switchboard.Billing;
using Switchboard.Configuration;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Instances;
using Switchboard.Keys;

namespace Switchboard.Bench.Journal;

/// <summary>
/// The gateway's journal on its own, wired as the gateway wires it (store, instance, credit ledger, journal writer)
/// with the commit as the durable step,
/// over a fresh store: one registered instance, one account with a large balance leased to it, and
/// <paramref name="keys"/> inference keys. Generation entries are made as a settled request makes them.
/// </summary>
internal sealed class JournalHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CallerKey[] _keys;
    private readonly string _owner;
    private long _next;

    private JournalHarness(ServiceProvider services, CallerKey[] keys, string owner)
    {
        _services = services;
        _keys = keys;
        _owner = owner;
        Journal = services.GetRequiredService<LedgerJournal>();
    }

    public LedgerJournal Journal { get; }

    public static async Task<JournalHarness> StartAsync(DatabaseOptions database, int keys, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<SwitchboardOptions>().Configure(options =>
        {
            options.Database = database;
            // The commit as the durable step, on SQLite too: the journal writes whenever it is idle and a waiter
            // measures one commit, as on PostgreSQL. (With the settlement log, SQLite's default, it writes every 50 ms.)
            options.Billing.Durability = ChargeDurability.Commit;
        });
        services.AddSwitchboardDatabase(database);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<SqliteCheckpointer>(); // as in the gateway: no commit checkpoints the SQLite log itself
        services.AddSpendAlerts();
        services.AddInstances();
        services.AddBilling();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().StartAsync(cancellationToken);

        var identity = provider.GetRequiredService<InstanceIdentity>();
        await provider.GetRequiredService<InstanceStore>().RegisterAsync(identity.Current, identity.Name);
        var (accountId, keyIds) = await SeedAsync(provider.GetRequiredService<SwitchboardStore>(), keys);
        var grant = await provider.GetRequiredService<CreditLedger>().GrantLeaseAsync(
            new LeaseRequest(identity.Current, CreditPoolId.ForAccount(accountId), 1_000_000m, 1_000_000m, null, DateTime.UtcNow));
        if (!grant.Granted)
        {
            throw new BenchFailureException("the journal bench could not lease its account's credit");
        }
        await provider.GetRequiredService<LedgerJournal>().StartAsync(cancellationToken);
        await provider.GetRequiredService<SqliteCheckpointer>().StartAsync(cancellationToken);
        var callers = keyIds.Select((id, i) => new CallerKey(id, accountId, $"hash-{i}", $"sk-…{i}", ApiKeyKind.Inference, false, null, null, null, false, false)).ToArray();
        return new JournalHarness(provider, callers, identity.Current);
    }

    /// <summary>
    /// A settled generation's entry, like a request's: its record (30-odd columns, the attempts as JSON) and its charge.
    /// Entries cycle over the first <paramref name="keys"/> keys and over <paramref name="models"/> models.
    /// </summary>
    public GenerationEntry Entry(int keys, int models)
    {
        var n = Interlocked.Increment(ref _next);
        var key = _keys[n % Math.Min(keys, _keys.Length)];
        var now = DateTime.UtcNow;
        var id = $"gen-{now.Ticks}-{n:D12}";
        var model = $"bench/model-{n % models}";
        var record = new GenerationRecord
        {
            Id = id,
            AccountId = key.AccountId,
            ApiKeyId = key.Id,
            CreatedAt = now,
            Day = DateOnly.FromDateTime(now),
            RequestedModel = model,
            Model = model,
            ProviderName = "Simulator",
            ProviderSlug = "openai",
            Attempts = """[{"provider":"Simulator","model":"bench","status":200,"outcome":"success","latency_ms":1}]""",
            Status = 200,
            TokensPrompt = 12,
            TokensCompletion = 8,
            Cost = 0.0000066m,
            LatencyMs = 1,
            TimeToFirstTokenMs = 1,
            GenerationTimeMs = 0,
            FinishReason = "stop",
            NativeFinishReason = "stop",
            User = "bench",
        };
        var settlement = new SettlementEntry(id, key, _owner, record.Cost, record.Cost, 0m, 0m, FromKeyLease: false, now);
        return new GenerationEntry(record, settlement, Content: null, Unmark: false);
    }

    public async ValueTask DisposeAsync()
    {
        await Journal.StopAsync(CancellationToken.None);
        await _services.GetRequiredService<SqliteCheckpointer>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    private static async Task<(long AccountId, List<long> Keys)> SeedAsync(SwitchboardStore store, int keys) => await store.WriteAsync(async db =>
    {
        var now = DateTime.UtcNow;
        var account = new Account { Name = "journal bench", Balance = 1_000_000m, TotalPurchased = 1_000_000m, CreatedAt = now, SettingsUpdatedAt = now };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        db.Ledger.Add(new LedgerEntry { AccountId = account.Id, Kind = LedgerEntryKind.TopUp, Amount = 1_000_000m, CreatedAt = now });
        var created = Enumerable.Range(0, keys).Select(i => new ApiKey
        {
            AccountId = account.Id,
            Hash = $"{account.Id:D8}{i:D56}",
            Label = $"sk-…{i}",
            Name = $"bench {i}",
            Kind = ApiKeyKind.Inference,
            CreatedAt = now,
            UpdatedAt = now,
            PeriodStart = now,
        }).ToList();
        db.ApiKeys.AddRange(created);
        await db.SaveChangesAsync();
        return (account.Id, created.Select(k => k.Id).ToList());
    });
}
