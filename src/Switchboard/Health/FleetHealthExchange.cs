using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Data;
using Switchboard.Instances;

namespace Switchboard.Health;

/// <summary>
/// Shares endpoint health across replicas on one PostgreSQL database, so a provider outage one replica sees is
/// routed around by all of them within about two <see cref="HealthOptions.ShareInterval"/>s. Every interval it
/// publishes what <see cref="FleetHealthOutbox"/> collected (one upsert per changed endpoint, in one transaction, in
/// key order so replicas cannot deadlock) and reads every signal published within the last cool-down or
/// recent-failure window, applying each new one that another instance published. Signals carry their age by the
/// store's clock, never a replica's, so clock skew cannot stretch or cut a cool-down. A store that does not answer
/// costs one logged warning per interval: health then stays per replica until it answers again, and signals not
/// published are kept for the next try.
/// </summary>
internal sealed partial class FleetHealthExchange(
    FleetHealthOutbox outbox, EndpointHealthRegistry health, ModelCatalog catalog, SwitchboardStore store, InstanceIdentity identity,
    IOptions<SwitchboardOptions> options, TimeProvider time, ILogger<FleetHealthExchange> logger) : BackgroundService
{
    private const string Publish = """
        INSERT INTO endpoint_health ("Key", "Version", "Instance", "Signal", "ChangedAt") VALUES (@key, 1, @instance, @signal, now())
        ON CONFLICT ("Key") DO UPDATE SET "Version" = endpoint_health."Version" + 1, "Instance" = excluded."Instance",
          "Signal" = excluded."Signal", "ChangedAt" = excluded."ChangedAt"
        """;

    private readonly HealthOptions _options = options.Value.Health;
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private CatalogSnapshot? _indexed;
    private Dictionary<string, CatalogEndpoint> _byKey = [];
    private Dictionary<int, CatalogEndpoint> _byIndex = [];

    /// <summary>How replicas name an endpoint: its model's catalog id and its provider tag, the same on every replica.</summary>
    public static string KeyOf(CatalogEndpoint endpoint) => $"{endpoint.Model.Id}|{endpoint.Tag}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!outbox.Enabled)
        {
            return;
        }
        var timeout = _options.ShareInterval * 5 > TimeSpan.FromSeconds(5) ? _options.ShareInterval * 5 : TimeSpan.FromSeconds(5);
        using var timer = new PeriodicTimer(_options.ShareInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attempt.CancelAfter(timeout);
                try
                {
                    await ExchangeAsync(attempt.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.ExchangeFailed(logger, ex.GetType().Name, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: publish what changed here, then apply what changed elsewhere.</summary>
    internal async Task ExchangeAsync(CancellationToken cancellationToken)
    {
        Index();
        var changes = outbox.Drain();
        if (changes.Count > 0)
        {
            try
            {
                await PublishAsync(changes, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                foreach (var (index, signal) in changes)
                {
                    outbox.Note(index, signal); // told no one yet: try again next round
                }
                throw;
            }
        }
        await LearnAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<int> PublishAsync(List<(int Index, HealthSignal Signal)> changes, CancellationToken cancellationToken)
    {
        var me = identity.Current;
        var rows = new List<(string Key, HealthSignal Signal)>(changes.Count);
        foreach (var (index, signal) in changes)
        {
            if (_byIndex.TryGetValue(index, out var endpoint))
            {
                rows.Add((KeyOf(endpoint), signal));
            }
        }
        rows.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return store.WriteAsync(async db =>
        {
            await using var sql = new SqlBatch(db);
            foreach (var (key, signal) in rows)
            {
                sql.Add(Publish, ("@key", key), ("@instance", me), ("@signal", (int)signal));
            }
            await sql.ExecuteAsync().ConfigureAwait(false);
            return rows.Count;
        }, cancellationToken);
    }

    private async Task LearnAsync(CancellationToken cancellationToken)
    {
        var horizon = _options.CoolDown > _options.RecentFailureWindow ? _options.CoolDown : _options.RecentFailureWindow;
        List<PublishedSignal> published;
        await using (var db = store.Read())
        {
            published = await db.Database.SqlQuery<PublishedSignal>($"""
                SELECT "Key", "Version", "Instance", "Signal", CAST(EXTRACT(EPOCH FROM (now() - "ChangedAt")) * 1000 AS bigint) AS "AgeMs"
                FROM endpoint_health WHERE "ChangedAt" > now() - {horizon}
                """).ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        var me = identity.Current;
        foreach (var row in published)
        {
            if (_applied.TryGetValue(row.Key, out var version) && version >= row.Version)
            {
                continue;
            }
            _applied[row.Key] = row.Version;
            if (row.Instance == me || !_byKey.TryGetValue(row.Key, out var endpoint) || !Enum.IsDefined((HealthSignal)row.Signal))
            {
                continue;
            }
            health.ApplyRemote(endpoint, (HealthSignal)row.Signal, TimeSpan.FromMilliseconds(row.AgeMs));
            Log.Applied(logger, (HealthSignal)row.Signal, row.Key, row.Instance);
        }
    }

    /// <summary>Endpoints by key and by index, rebuilt when discovery swaps the catalog.</summary>
    private void Index()
    {
        var current = catalog.Current;
        if (ReferenceEquals(current, _indexed))
        {
            return;
        }
        var byKey = new Dictionary<string, CatalogEndpoint>(StringComparer.Ordinal);
        var byIndex = new Dictionary<int, CatalogEndpoint>();
        foreach (var endpoint in current.Endpoints)
        {
            byKey.TryAdd(KeyOf(endpoint), endpoint);
            byIndex[endpoint.Index] = endpoint;
        }
        (_byKey, _byIndex, _indexed) = (byKey, byIndex, current);
    }

    /// <summary>A row of <c>endpoint_health</c> as read, with its age by the store's clock.</summary>
    internal sealed class PublishedSignal
    {
        public required string Key { get; init; }
        public long Version { get; init; }
        public required string Instance { get; init; }
        public int Signal { get; init; }
        public long AgeMs { get; init; }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not exchange endpoint health with the other replicas ({Error}); health stays this replica's own until the store answers.")]
        public static partial void ExchangeFailed(ILogger logger, string error, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "Applied {Signal} on {Endpoint}, seen by instance {Instance}.")]
        public static partial void Applied(ILogger logger, HealthSignal signal, string endpoint, string instance);
    }
}
