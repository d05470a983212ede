using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Alerts;

/// <summary>
/// Records spend alerts behind the journal, never on the request path. After each journal batch commits, the
/// journal hands over the accounts and limited keys it charged; one loop reads their figures and records every
/// threshold newly reached (<see cref="SpendAlertCrossings"/>). Hand-overs that arrive while a check runs are
/// merged into the next one, and checks are spaced out, so under load the cost is a couple of reads a few times
/// a second whatever the request rate. Each replica checks what its own journal wrote; the unique index lets only
/// one of them record a given alert.
/// </summary>
internal sealed partial class SpendAlertMonitor(
    SwitchboardStore store, SpendAlertWebhooks webhooks, AlertsOptions options, TimeProvider time, ILogger<SpendAlertMonitor> logger)
    : BackgroundService
{
    /// <summary>Least time between two checks: what a burst of journal batches is merged over.</summary>
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(250);

    /// <summary>Alerts known to be recorded, so a subject that stays above a threshold costs no further read.</summary>
    private const int MaxKnown = 100_000;

    private readonly Lock _lock = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly HashSet<AlertIdentity> _known = [];
    private HashSet<long> _accounts = [];
    private HashSet<long> _keys = [];

    /// <summary>The journal wrote these settlements: check their accounts, and their keys that have a limit.</summary>
    public void Charged(IReadOnlyList<SettlementEntry> settlements)
    {
        var any = false;
        lock (_lock)
        {
            foreach (var settlement in settlements)
            {
                if (settlement.Charge != 0m)
                {
                    any |= _accounts.Add(settlement.Key.AccountId);
                }
                if (settlement.LimitSpend != 0m && settlement.Key.Limit is not null)
                {
                    any |= _keys.Add(settlement.Key.Id);
                }
            }
        }
        if (any)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ends when the channel is completed at stop, after a last check of what the journal's final batches charged.
        while (await _wake.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _wake.Reader.TryRead(out _);
            HashSet<long> accounts, keys;
            lock (_lock)
            {
                (accounts, _accounts) = (_accounts, []);
                (keys, _keys) = (_keys, []);
            }
            try
            {
                await CheckAsync(accounts, keys).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Checked again with the next batch that charges them: crossings are read from totals, so none is lost.
                Log.CheckFailed(logger, accounts.Count, keys.Count, ex);
                lock (_lock)
                {
                    _accounts.UnionWith(accounts);
                    _keys.UnionWith(keys);
                }
            }
            if (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Spacing, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: go straight to the last check.
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _wake.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckAsync(HashSet<long> accountIds, HashSet<long> keyIds)
    {
        List<SpendAlertCrossings.KeyFigures> keys;
        List<SpendAlertCrossings.AccountFigures> accounts;
        await using (var db = store.Read())
        {
            keys = keyIds.Count == 0 ? [] : await db.ApiKeys
                .Where(k => keyIds.Contains(k.Id) && k.Limit != null && k.DeletedAt == null)
                .Select(k => new SpendAlertCrossings.KeyFigures(k.Id, k.AccountId, k.Limit!.Value, k.LimitReset, k.PeriodUsage, k.PeriodStart, k.CreatedAt))
                .ToListAsync().ConfigureAwait(false);
            accountIds.UnionWith(keys.Select(k => k.AccountId));
            accounts = await db.Accounts
                .Where(a => accountIds.Contains(a.Id) && a.AlertThresholds != "")
                .Select(a => new SpendAlertCrossings.AccountFigures(
                    a.Id, a.AlertThresholds, a.AlertWebhookUrl != null, a.Balance, a.CreditBaseline, a.CreditBaselineAt ?? a.CreatedAt))
                .ToListAsync().ConfigureAwait(false);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var crossings = SpendAlertCrossings.Find(accounts, keys, now, operatorWebhook: options.WebhookUrl is not null)
            .Where(alert => !_known.Contains(AlertIdentity.Of(alert)))
            .ToList();
        if (crossings.Count == 0)
        {
            return;
        }
        crossings = await WithoutRecordedAsync(crossings).ConfigureAwait(false);
        if (crossings.Count == 0)
        {
            return;
        }

        var recorded = await store.WriteAsync(async db =>
        {
            var statements = new SpendAlertStatements(db);
            var inserted = new List<SpendAlert>();
            foreach (var alert in crossings)
            {
                if (await statements.InsertIfAbsentAsync(alert).ConfigureAwait(false) is { } id)
                {
                    alert.Id = id;
                    inserted.Add(alert);
                }
            }
            return inserted;
        }).ConfigureAwait(false);
        Remember(crossings);
        foreach (var alert in recorded)
        {
            Log.Recorded(logger, alert.Id, alert.AccountId, alert.Subject, alert.Threshold, alert.Spent, alert.Of);
            if (alert.Webhook == WebhookDelivery.Pending)
            {
                webhooks.Enqueue(alert.Id);
            }
        }
    }

    /// <summary>Drops the crossings already recorded (by an earlier check, or another replica), with one read.</summary>
    private async Task<List<SpendAlert>> WithoutRecordedAsync(List<SpendAlert> crossings)
    {
        var accountIds = crossings.Select(a => a.AccountId).Distinct().ToList();
        // An alert is recorded after its period starts, so the (account, created) index narrows the read to this period's.
        var since = crossings.Min(a => a.PeriodStart);
        await using var db = store.Read();
        var recorded = await db.SpendAlerts
            .Where(a => accountIds.Contains(a.AccountId) && a.CreatedAt >= since)
            .Select(a => new AlertIdentity(a.AccountId, a.Subject, a.Threshold, a.PeriodStart))
            .ToListAsync().ConfigureAwait(false);
        var known = recorded.ToHashSet();
        Remember(crossings.Where(a => known.Contains(AlertIdentity.Of(a))));
        return [.. crossings.Where(a => !known.Contains(AlertIdentity.Of(a)))];
    }

    private void Remember(IEnumerable<SpendAlert> alerts)
    {
        if (_known.Count > MaxKnown)
        {
            _known.Clear(); // forgetting only costs a read
        }
        foreach (var alert in alerts)
        {
            _known.Add(AlertIdentity.Of(alert));
        }
    }

    /// <summary>What the unique index tells apart.</summary>
    private readonly record struct AlertIdentity(long AccountId, string Subject, int Threshold, DateTime PeriodStart)
    {
        public static AlertIdentity Of(SpendAlert alert) => new(alert.AccountId, alert.Subject, alert.Threshold, alert.PeriodStart);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Spend alert {AlertId}: account {AccountId}, {Subject}, reached {Threshold} % ({Spent} of {Of} USD).")]
        public static partial void Recorded(ILogger logger, long alertId, long accountId, string subject, int threshold, decimal spent, decimal of);

        [LoggerMessage(2, LogLevel.Warning, "Could not check {Accounts} account(s) and {Keys} key(s) for spend alerts; they are checked again when next charged.")]
        public static partial void CheckFailed(ILogger logger, int accounts, int keys, Exception exception);
    }
}
