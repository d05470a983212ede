using Microsoft.EntityFrameworkCore;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Routing;

namespace Switchboard.Keys;

/// <summary>
/// Builds <see cref="ApiKeyView"/>s, with spend per day, week and month summed from the ledger, and BYOK spend per
/// day, week and month from the daily usage rollup (where each generation's BYOK list price is kept).
/// </summary>
internal sealed class ApiKeyViews(SwitchboardStore store, DailyUsageCompactor rollup, TimeProvider time)
{
    public async Task<IReadOnlyList<ApiKeyView>> CreateAsync(IReadOnlyList<ApiKey> keys, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ids = keys.Select(k => k.Id).ToList();
        var daily = await SpendSinceAsync(ids, LimitPeriod.Start(LimitReset.Daily, now), cancellationToken);
        var weekly = await SpendSinceAsync(ids, LimitPeriod.Start(LimitReset.Weekly, now), cancellationToken);
        var monthly = await SpendSinceAsync(ids, LimitPeriod.Start(LimitReset.Monthly, now), cancellationToken);
        var byok = await ByokSpendAsync(ids, now, cancellationToken);
        await using var db = store.Read();
        var purchased = await db.Accounts.Where(a => keys.Select(k => k.AccountId).Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.TotalPurchased, cancellationToken);
        return [.. keys.Select(k => View(k, now, daily.GetValueOrDefault(k.Id), weekly.GetValueOrDefault(k.Id), monthly.GetValueOrDefault(k.Id),
            byok.GetValueOrDefault(k.Id), purchased.GetValueOrDefault(k.AccountId)))];
    }

    public async Task<ApiKeyView> CreateAsync(ApiKey key, CancellationToken cancellationToken) => (await CreateAsync([key], cancellationToken))[0];

    private static ApiKeyView View(ApiKey key, DateTime now, decimal daily, decimal weekly, decimal monthly, ByokSpend byok, decimal purchased)
    {
        var periodUsage = key.PeriodStart < LimitPeriod.Start(key.LimitReset, now) ? 0m : key.PeriodUsage;
        return new ApiKeyView(
            key.Hash,
            key.Name,
            key.Label,
            key.Disabled,
            Normalize(key.Limit),
            key.Limit is { } limit ? Money.Normalize(Math.Max(0m, limit - periodUsage)) : null,
            LimitPeriod.Name(key.LimitReset),
            key.IncludeByokInLimit,
            Money.Normalize(key.Usage),
            Money.Normalize(daily),
            Money.Normalize(weekly),
            Money.Normalize(monthly),
            Money.Normalize(key.ByokUsage),
            Money.Normalize(byok.Daily),
            Money.Normalize(byok.Weekly),
            Money.Normalize(byok.Monthly),
            IsFreeTier: purchased <= 0m,
            IsManagementKey: key.Kind == ApiKeyKind.Management,
            IsProvisioningKey: key.Kind == ApiKeyKind.Management,
            key.CreatedAt,
            key.UpdatedAt,
            key.ExpiresAt)
        {
            AllowedModels = KeyRuleColumn.Read(key.AllowedModels),
            AllowedProviders = KeyRuleColumn.Read(key.AllowedProviders),
            RequestsPerMinute = key.RequestsPerMinute,
            TokensPerMinute = key.TokensPerMinute,
        };
    }

    /// <summary>Charges net of refunds per key since <paramref name="since"/>, as positive USD.</summary>
    private async Task<Dictionary<long, decimal>> SpendSinceAsync(List<long> ids, DateTime since, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.Ledger
            .Where(e => e.ApiKeyId != null && ids.Contains(e.ApiKeyId.Value) && e.CreatedAt >= since
                && (e.Kind == LedgerEntryKind.Charge || e.Kind == LedgerEntryKind.Refund))
            .GroupBy(e => e.ApiKeyId!.Value)
            .Select(g => new { g.Key, Spend = -g.Sum(e => e.Amount) })
            .ToDictionaryAsync(g => g.Key, g => g.Spend, cancellationToken);
    }

    /// <summary>
    /// BYOK spend per key this UTC day, week and month. The rollup is by UTC day, and every limit period starts at a
    /// UTC midnight, so whole days sum exactly. Pending rollup rows are folded in first, as for <c>/activity</c>.
    /// </summary>
    private async Task<Dictionary<long, ByokSpend>> ByokSpendAsync(List<long> ids, DateTime now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now);
        var week = DateOnly.FromDateTime(LimitPeriod.Start(LimitReset.Weekly, now));
        var month = DateOnly.FromDateTime(LimitPeriod.Start(LimitReset.Monthly, now));
        var since = week < month ? week : month;
        await rollup.CompactAsync(cancellationToken);
        await using var db = store.Read();
        var days = await db.DailyUsage
            .Where(u => ids.Contains(u.ApiKeyId) && u.Day >= since && u.UpstreamCost != 0m)
            .GroupBy(u => new { u.ApiKeyId, u.Day })
            .Select(g => new { g.Key.ApiKeyId, g.Key.Day, Cost = g.Sum(u => u.UpstreamCost) })
            .ToListAsync(cancellationToken);
        return days.GroupBy(d => d.ApiKeyId).ToDictionary(g => g.Key, g => new ByokSpend(
            g.Where(d => d.Day >= today).Sum(d => d.Cost),
            g.Where(d => d.Day >= week).Sum(d => d.Cost),
            g.Where(d => d.Day >= month).Sum(d => d.Cost)));
    }

    private readonly record struct ByokSpend(decimal Daily, decimal Weekly, decimal Monthly);

    private static decimal? Normalize(decimal? amount) => amount is { } value ? Money.Normalize(value) : null;
}
