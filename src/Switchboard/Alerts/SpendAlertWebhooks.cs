using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Infrastructure;

namespace Switchboard.Alerts;

/// <summary>
/// Delivers recorded alerts to the account's webhook and the operator's, retrying with a doubling delay up to
/// <see cref="AlertsOptions.WebhookAttempts"/> posts; the outcome is kept on the alert (pending, delivered or
/// failed, with the attempts and the last error). Each attempt is claimed on the row before it is made, so when
/// several replicas find the same pending alert (each retries at start what a stopped process left pending),
/// only one of them makes any given attempt. A receiver may still see an alert twice, if a process stopped
/// between a post and recording it: the body's <c>id</c> tells repeats apart.
/// </summary>
internal sealed partial class SpendAlertWebhooks(
    SwitchboardStore store, AlertWebhookSender sender, AlertsOptions options, TimeProvider time, ILogger<SpendAlertWebhooks> logger)
    : BackgroundService
{
    /// <summary>Posts in flight at once: enough that one slow receiver does not hold up everyone else's alerts.</summary>
    private const int Concurrency = 4;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, Task> _deliveries = new();

    /// <summary>Held while posting only: a delivery waiting to retry holds none.</summary>
    private readonly SemaphoreSlim _posting = new(Concurrency, Concurrency);

    public void Enqueue(long alertId) => _queue.Writer.TryWrite(alertId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var id in await PendingAsync(stoppingToken).ConfigureAwait(false))
            {
                Enqueue(id);
            }
            await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var delivery = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (!_deliveries.TryAdd(id, delivery.Task))
                {
                    continue; // already being delivered by this process
                }
                _ = RunAsync(id, delivery, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: deliveries waiting to retry stay pending in the store, for the next start.
        }
        await Task.WhenAll(_deliveries.Values).ConfigureAwait(false);
    }

    private async Task RunAsync(long id, TaskCompletionSource done, CancellationToken stoppingToken)
    {
        try
        {
            await DeliverAsync(id, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.DeliveryBroke(logger, id, ex);
        }
        finally
        {
            _deliveries.TryRemove(id, out _);
            done.TrySetResult();
        }
    }

    private async Task<List<long>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.SpendAlerts.Where(a => a.Webhook == WebhookDelivery.Pending).OrderBy(a => a.Id).Select(a => a.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DeliverAsync(long id, CancellationToken cancellationToken)
    {
        // Receivers that answered 2xx already, not posted again when another one needs a retry.
        var delivered = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var found = await LoadAsync(id, cancellationToken).ConfigureAwait(false);
            if (found is not { Alert.Webhook: WebhookDelivery.Pending } pending)
            {
                return;
            }
            var alert = pending.Alert;
            if (alert.WebhookAttempts >= options.WebhookAttempts)
            {
                // Pending with no attempt left: the process stopped during the last one.
                await FinishAsync(id, WebhookDelivery.Failed, alert.WebhookError ?? "The gateway stopped during the last attempt.").ConfigureAwait(false);
                return;
            }
            var attempt = alert.WebhookAttempts + 1;
            if (!await ClaimAsync(id, alert.WebhookAttempts).ConfigureAwait(false))
            {
                return; // another replica made this attempt
            }
            var targets = Targets(pending.AccountWebhookUrl);
            if (targets.Count == 0)
            {
                await FinishAsync(id, WebhookDelivery.Failed, "No webhook URL is configured any more.").ConfigureAwait(false);
                return;
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(
                SpendAlertWebhookBody.For(alert, pending.AccountName, pending.KeyHash, pending.KeyName), SwitchboardJsonContext.Api.SpendAlertWebhookBody);
            var errors = await PostAsync(id, attempt, alert, body, targets.Where(t => !delivered.Contains(t.Name)), delivered, cancellationToken).ConfigureAwait(false);
            if (errors.Count == 0)
            {
                await FinishAsync(id, WebhookDelivery.Delivered, null).ConfigureAwait(false);
                return;
            }
            var message = string.Join("; ", errors);
            if (attempt >= options.WebhookAttempts)
            {
                Log.GaveUp(logger, id, attempt);
                await FinishAsync(id, WebhookDelivery.Failed, message).ConfigureAwait(false);
                return;
            }
            await RecordErrorAsync(id, message).ConfigureAwait(false);
            await Task.Delay(RetryDelay(attempt), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Posts to each target, adding those that answered 2xx to <paramref name="delivered"/>; returns what failed.</summary>
    private async Task<List<string>> PostAsync(
        long id, int attempt, SpendAlert alert, byte[] body, IEnumerable<WebhookTarget> targets, HashSet<string> delivered,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        await _posting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var target in targets)
            {
                if (await sender.PostAsync(target, SpendAlertWebhookBody.TypeOf(alert.Kind), body, cancellationToken).ConfigureAwait(false) is { } failure)
                {
                    errors.Add($"{target.Name}: {failure.Message}");
                    Log.PostFailed(logger, id, target.Name, attempt, failure.Message, failure.Detail);
                }
                else
                {
                    delivered.Add(target.Name);
                }
            }
        }
        finally
        {
            _posting.Release();
        }
        return errors;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: the configured delay, doubled after each further failure, at most an hour.</summary>
    private TimeSpan RetryDelay(int attempt)
    {
        var delay = options.WebhookRetryDelay * Math.Pow(2, attempt - 1);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>
    /// The account's webhook and the operator's; one post when both name the same URL, trusted then, since the
    /// operator configured it.
    /// </summary>
    private List<WebhookTarget> Targets(string? accountUrl)
    {
        var targets = new List<WebhookTarget>(2);
        if (accountUrl is not null)
        {
            targets.Add(new WebhookTarget("account webhook", accountUrl, Trusted: accountUrl == options.WebhookUrl));
        }
        if (options.WebhookUrl is { } operatorUrl && operatorUrl != accountUrl)
        {
            targets.Add(new WebhookTarget("operator webhook", operatorUrl, Trusted: true));
        }
        return targets;
    }

    private async Task<PendingDelivery?> LoadAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.SpendAlerts.Where(a => a.Id == id)
            .Join(db.Accounts, a => a.AccountId, account => account.Id, (a, account) => new { Alert = a, account.Name, account.AlertWebhookUrl })
            .Select(x => new PendingDelivery(
                x.Alert, x.Name, x.AlertWebhookUrl,
                db.ApiKeys.Where(k => k.Id == x.Alert.ApiKeyId).Select(k => k.Hash).FirstOrDefault(),
                db.ApiKeys.Where(k => k.Id == x.Alert.ApiKeyId).Select(k => k.Name).FirstOrDefault()))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the next attempt, unless someone else took it since <paramref name="seen"/> was read.</summary>
    private Task<bool> ClaimAsync(long id, int seen) => store.WriteAsync(async db =>
        await db.SpendAlerts.Where(a => a.Id == id && a.Webhook == WebhookDelivery.Pending && a.WebhookAttempts == seen)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.WebhookAttempts, seen + 1)).ConfigureAwait(false) == 1);

    private Task<int> RecordErrorAsync(long id, string error) => store.WriteAsync(db =>
        db.SpendAlerts.Where(a => a.Id == id).ExecuteUpdateAsync(set => set.SetProperty(a => a.WebhookError, Truncate(error))));

    private Task<int> FinishAsync(long id, WebhookDelivery state, string? error) => store.WriteAsync(db =>
        db.SpendAlerts.Where(a => a.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(a => a.Webhook, state)
            .SetProperty(a => a.WebhookError, Truncate(error))));

    private static string? Truncate(string? error) => error is { Length: > 1000 } ? error[..1000] : error;

    private sealed record PendingDelivery(SpendAlert Alert, string AccountName, string? AccountWebhookUrl, string? KeyHash, string? KeyName);

    private static partial class Log
    {
        /// <summary>The detail (exact status, or the connection error with the address) is the operator's, never the account's.</summary>
        [LoggerMessage(1, LogLevel.Warning, "Spend alert {AlertId}: the {Target} failed on attempt {Attempt}: {Error} ({Detail})")]
        public static partial void PostFailed(ILogger logger, long alertId, string target, int attempt, string error, string detail);

        [LoggerMessage(2, LogLevel.Error, "Spend alert {AlertId}: giving up on its webhook after {Attempts} attempts.")]
        public static partial void GaveUp(ILogger logger, long alertId, int attempts);

        [LoggerMessage(3, LogLevel.Error, "Spend alert {AlertId}: its webhook delivery stopped unexpectedly; it is retried at the next start.")]
        public static partial void DeliveryBroke(ILogger logger, long alertId, Exception exception);
    }
}
