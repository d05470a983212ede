using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Switchboard.Alerts;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Web;

/// <summary>
/// The Credits screen's alerts. <c>GET /web/alerts</c>: the signed-in account's thresholds and webhook, how many
/// alerts fired in the last 7 days (the app's notice and badge), and the newest alerts with their webhook state.
/// <c>PUT /web/alerts/settings</c> replaces the thresholds and webhook, which must lead to a public host
/// (<see cref="WebhookHostGuard"/>). Like the ledger, only the caller's own
/// account: the operator sees its own alerts here, and every account's through <c>Switchboard:Alerts:WebhookUrl</c>.
/// </summary>
internal static class WebAlertsApi
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(7);
    private const int DefaultLimit = 50;
    private const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapWebAlerts(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/web/alerts").RequireKey(KeyRequirement.Management);
        alerts.MapGet("/", ListAsync);
        alerts.MapPut("/settings", UpdateSettingsAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, SwitchboardStore store, TimeProvider time, string? limit)
    {
        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count > MaxLimit))
        {
            return ApiResults.Error(ApiError.BadRequest($"'limit' must be a whole number from 0 to {MaxLimit}.", "limit"));
        }
        var accountId = context.CallerKey().AccountId;
        var since = time.GetUtcNow().UtcDateTime - RecentWindow;
        await using var db = store.Read();
        var settings = await db.Accounts.Where(a => a.Id == accountId)
            .Select(a => new { a.AlertThresholds, a.AlertWebhookUrl })
            .FirstAsync(context.RequestAborted);
        var recent = await db.SpendAlerts.CountAsync(a => a.AccountId == accountId && a.CreatedAt >= since, context.RequestAborted);
        var alerts = count == 0 ? [] : await db.SpendAlerts.Where(a => a.AccountId == accountId)
            .OrderByDescending(a => a.Id)
            .Take(count)
            .ToListAsync(context.RequestAborted);
        var keyIds = alerts.Where(a => a.ApiKeyId is not null).Select(a => a.ApiKeyId!.Value).Distinct().ToList();
        var keys = keyIds.Count == 0 ? [] : await db.ApiKeys.Where(k => keyIds.Contains(k.Id))
            .ToDictionaryAsync(k => k.Id, k => new { k.Hash, k.Name }, context.RequestAborted);
        return ApiResults.Json(new AlertsEnvelope(new AlertsView(
            AlertThresholds.Parse(settings.AlertThresholds),
            settings.AlertWebhookUrl,
            recent,
            [.. alerts.Select(a =>
            {
                var key = a.ApiKeyId is { } id ? keys.GetValueOrDefault(id) : null;
                return new SpendAlertRow(a.Id, Kind(a.Kind), key?.Hash, key?.Name, a.Threshold, Money.Normalize(a.Spent), Money.Normalize(a.Of),
                    a.PeriodStart, a.CreatedAt, Webhook(a.Webhook), a.WebhookAttempts, a.WebhookError);
            })])));
    }

    private static async Task<IResult> UpdateSettingsAsync(HttpContext context, SwitchboardStore store, TimeProvider time, WebhookHostGuard guard)
    {
        var (settings, error) = await AlertSettings.ReadAsync(context.Request);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        // Refused here for a clear answer; every delivery checks again when it connects, which is what holds.
        if (settings!.WebhookUrl is { } url && await guard.RefusalAsync(new Uri(url), context.RequestAborted) is { } refusal)
        {
            return ApiResults.Error(ApiError.BadRequest(
                $"'webhook_url' must point at a public host: {refusal}. The operator can allow internal hosts (Switchboard:Alerts:AllowedWebhookHosts).",
                "webhook_url"));
        }
        var accountId = context.CallerKey().AccountId;
        var thresholds = AlertThresholds.Format(settings.Thresholds);
        var now = time.GetUtcNow().UtcDateTime;
        await store.WriteAsync(db => db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set
            .SetProperty(a => a.AlertThresholds, thresholds)
            .SetProperty(a => a.AlertWebhookUrl, settings.WebhookUrl)
            // Replicas cache account settings until this moves.
            .SetProperty(a => a.SettingsUpdatedAt, now), context.RequestAborted), context.RequestAborted);
        return ApiResults.Json(new AlertSettingsEnvelope(new AlertSettingsView(settings.Thresholds, settings.WebhookUrl)));
    }

    private static string Kind(SpendAlertKind kind) => kind == SpendAlertKind.KeyLimit ? "key_limit" : "balance";

    private static string? Webhook(WebhookDelivery? state) => state switch
    {
        WebhookDelivery.Pending => "pending",
        WebhookDelivery.Delivered => "delivered",
        WebhookDelivery.Failed => "failed",
        _ => null,
    };
}

internal sealed record AlertsEnvelope(AlertsView Data);

/// <summary><c>recent</c> counts the alerts of the last 7 days; <c>alerts</c> are the newest, up to <c>limit</c>.</summary>
internal sealed record AlertsView(int[] Thresholds, string? WebhookUrl, int Recent, IReadOnlyList<SpendAlertRow> Alerts);

/// <summary>One alert: <c>webhook</c> is null when none was configured, else pending, delivered or failed.</summary>
internal sealed record SpendAlertRow(
    long Id, string Kind, string? KeyHash, string? KeyName, int Threshold, decimal Spent, decimal Of, DateTime PeriodStart, DateTime CreatedAt,
    string? Webhook, int WebhookAttempts, string? WebhookError);

internal sealed record AlertSettingsEnvelope(AlertSettingsView Data);

internal sealed record AlertSettingsView(int[] Thresholds, string? WebhookUrl);
