using System.Text.Json;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Keys;
using Switchboard.Security;

namespace Switchboard.Accounts;

/// <summary>
/// The operator's API, for management keys of the admin account: create accounts (each with its first
/// management key), add credits, and audit the ledger.
/// </summary>
internal static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").RequireKey(KeyRequirement.Admin);
        admin.MapGet("/accounts", ListAsync).AfterJournalFlush();
        admin.MapPost("/accounts", CreateAsync).CarriesSecrets(); // the new account's management key
        admin.MapPost("/accounts/{id:long}/credits", AddCreditsAsync);
        admin.MapGet("/ledger/audit", AuditAsync).AfterJournalFlush();
        admin.MapGet("/runtime", Runtime);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, AccountAdministration accounts) =>
        ApiResults.Json(new AccountListEnvelope([.. (await accounts.ListAsync(context.RequestAborted)).Select(AccountView.From)]));

    private static async Task<IResult> CreateAsync(HttpContext context, AccountAdministration accounts)
    {
        var (body, error) = await JsonRequestBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        var name = body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : "";
        if (name.Length is 0 or > 200)
        {
            return ApiResults.Error(ApiError.BadRequest("'name' is required: a string of at most 200 characters.", "name"));
        }
        if (ReadAmount(body, "credits", allowNegative: false, out var credits) is { } invalid)
        {
            return ApiResults.Error(invalid);
        }
        var created = await accounts.CreateAsync(name, isAdmin: false, credits ?? 0m, cancellationToken: context.RequestAborted);
        var account = await accounts.FindAsync(created.Account.Id, context.RequestAborted);
        return ApiResults.Json(new CreatedAccountEnvelope(AccountView.From(account!), created.ManagementKeySecret), StatusCodes.Status201Created);
    }

    private static async Task<IResult> AddCreditsAsync(HttpContext context, AccountAdministration accounts, CreditLedger ledger, long id)
    {
        var (body, error) = await JsonRequestBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        var kind = body.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : "top_up";
        if (kind is not ("top_up" or "adjustment" or "refund"))
        {
            return ApiResults.Error(ApiError.BadRequest("'kind' must be \"top_up\", \"refund\" or \"adjustment\".", "kind"));
        }
        if (ReadAmount(body, "amount", allowNegative: kind == "adjustment", out var amount) is { } invalid)
        {
            return ApiResults.Error(invalid);
        }
        if (amount is null or 0m)
        {
            return ApiResults.Error(ApiError.BadRequest("'amount' is required: USD to add (an adjustment may be negative).", "amount"));
        }
        if (await accounts.FindAsync(id, context.RequestAborted) is null)
        {
            return ApiResults.Error(ApiError.NotFound($"No account {id}."));
        }
        var note = body.TryGetProperty("note", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var entryKind = kind switch { "adjustment" => LedgerEntryKind.Adjustment, "refund" => LedgerEntryKind.Refund, _ => LedgerEntryKind.TopUp };
        var entry = await ledger.CreditAsync(id, amount.Value, entryKind, note?[..Math.Min(note.Length, 500)]);
        var account = await accounts.FindAsync(id, context.RequestAborted);
        return ApiResults.Json(new CreditEntryEnvelope(new CreditEntryView(entry.Id, kind, Money.Normalize(entry.Amount), AccountView.From(account!))));
    }

    private static async Task<IResult> AuditAsync(HttpContext context, LedgerAudit audit, CreditBook book)
    {
        var report = await audit.RunAsync(book.OpenHolds, context.RequestAborted);
        return ApiResults.Json(LedgerAuditEnvelope.From(report));
    }

    /// <summary>The process's memory and allocation counters, for the benchmark and for operators watching a replica.</summary>
    private static IResult Runtime(TimeProvider time) => ApiResults.Json(RuntimeView.Capture(time));

    private static ApiError? ReadAmount(JsonElement body, string field, bool allowNegative, out decimal? amount)
    {
        amount = null;
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var parsed) || (!allowNegative && parsed < 0m))
        {
            return ApiError.BadRequest($"'{field}' must be a number of USD{(allowNegative ? "" : ", zero or more")}.", field);
        }
        amount = parsed;
        return null;
    }
}
