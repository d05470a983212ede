using Microsoft.EntityFrameworkCore;
using Switchboard.Api;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>
/// <c>GET /credits</c>: what the account has been credited and what it has used; the balance is the difference.
/// Either kind of key may read it: clients show the balance with the key they call models with.
/// </summary>
internal static class CreditsApi
{
    public static RouteGroupBuilder MapCreditsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/credits", GetAsync).RequireKey(KeyRequirement.Any).AfterJournalFlush();
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext context, SwitchboardStore store)
    {
        var accountId = context.CallerKey().AccountId;
        await using var db = store.Read();
        var sums = await db.Ledger.Where(e => e.AccountId == accountId)
            .GroupBy(e => e.Kind)
            .Select(g => new { Kind = g.Key, Sum = g.Sum(e => e.Amount) })
            .ToListAsync(context.RequestAborted);
        var credited = sums.Where(s => s.Kind is LedgerEntryKind.TopUp or LedgerEntryKind.Adjustment).Sum(s => s.Sum);
        var used = -sums.Where(s => s.Kind is LedgerEntryKind.Charge or LedgerEntryKind.Refund).Sum(s => s.Sum);
        return ApiResults.Json(new CreditsEnvelope(new CreditsView(Money.Normalize(credited), Money.Normalize(used))));
    }
}

internal sealed record CreditsView(decimal TotalCredits, decimal TotalUsage);

internal sealed record CreditsEnvelope(CreditsView Data);
