using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Web;

/// <summary>
/// <c>GET /web/ledger</c>: the signed-in account's credit history, newest first, 50 entries a page. By default the
/// credits only (top-ups, refunds, adjustments); <c>charges=true</c> adds the per-generation charges. Uncollected
/// lines never appear: nobody was charged them.
/// </summary>
internal static class WebLedgerApi
{
    private const int PageSize = 50;

    public static IEndpointRouteBuilder MapWebLedger(this IEndpointRouteBuilder app)
    {
        app.MapGet("/web/ledger", HistoryAsync).RequireKey(KeyRequirement.Management).AfterJournalFlush();
        return app;
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, SwitchboardStore store, bool? charges, string? before)
    {
        long? beforeId = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return ApiResults.Error(ApiError.BadRequest("'before' must be the 'next' value of the previous page.", "before"));
            }
            beforeId = id;
        }
        var accountId = context.CallerKey().AccountId;
        await using var db = store.Read();
        // Uncollected lines are the operator's loss, not the account's money: the audit shows them, not this history.
        var entries = db.Ledger.Where(e => e.AccountId == accountId && e.Kind != LedgerEntryKind.Uncollected);
        if (charges != true)
        {
            entries = entries.Where(e => e.Kind != LedgerEntryKind.Charge);
        }
        if (beforeId is { } last)
        {
            entries = entries.Where(e => e.Id < last);
        }
        var page = await entries.OrderByDescending(e => e.Id).Take(PageSize + 1).ToListAsync(context.RequestAborted);
        var keyNames = await db.ApiKeys.Where(k => k.AccountId == accountId).ToDictionaryAsync(k => k.Id, k => k.Name, context.RequestAborted);
        return ApiResults.Json(new LedgerPage(
            [.. page.Take(PageSize).Select(e => new LedgerRow(e.Id, e.CreatedAt, Kind(e.Kind), Money.Normalize(e.Amount), e.Note, e.GenerationId,
                e.ApiKeyId is { } key ? keyNames.GetValueOrDefault(key) : null))],
            page.Count > PageSize ? page[PageSize - 1].Id.ToString(CultureInfo.InvariantCulture) : null));
    }

    private static string Kind(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.TopUp => "top_up",
        LedgerEntryKind.Charge => "charge",
        LedgerEntryKind.Refund => "refund",
        _ => "adjustment",
    };
}

internal sealed record LedgerPage(IReadOnlyList<LedgerRow> Data, string? Next);

/// <summary>One entry: <c>amount</c> is signed (credits positive, charges negative).</summary>
internal sealed record LedgerRow(long Id, DateTime CreatedAt, string Kind, decimal Amount, string? Note, string? GenerationId, string? Key);
