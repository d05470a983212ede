using Microsoft.EntityFrameworkCore;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Generations;

/// <summary>
/// <c>GET /generation?id=</c> for one generation of the caller's account (either kind of key), and
/// <c>GET /activity</c> (management keys): per UTC day × model × provider, the last 30 days.
/// </summary>
internal static class GenerationsApi
{
    private const int ActivityDays = 30;

    public static RouteGroupBuilder MapGenerationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/generation", GetAsync).RequireKey(KeyRequirement.Any);
        api.MapGet("/activity", ActivityAsync).RequireKey(KeyRequirement.Management).AfterJournalFlush();
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext context, SwitchboardStore store, LedgerJournal journal, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return ApiResults.Error(ApiError.BadRequest("'id' is required: the generation id from the response's 'id' or X-Generation-Id.", "id"));
        }
        var accountId = context.CallerKey().AccountId;
        var record = journal.FindPendingRecord(id);
        if (record is null)
        {
            await using var db = store.Read();
            record = await db.Generations.FirstOrDefaultAsync(g => g.Id == id, context.RequestAborted);
        }
        return record is null || record.AccountId != accountId
            ? ApiResults.Error(ApiError.NotFound($"Generation {id} not found."))
            : ApiResults.Json(new GenerationEnvelope(GenerationView.From(record)));
    }

    private static async Task<IResult> ActivityAsync(
        HttpContext context, SwitchboardStore store, DailyUsageCompactor rollup, TimeProvider time, string? date, string? api_key_hash)
    {
        var accountId = context.CallerKey().AccountId;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = today.AddDays(-ActivityDays);
        var to = today;
        if (date is not null)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day))
            {
                return ApiResults.Error(ApiError.BadRequest("'date' must be a UTC day, YYYY-MM-DD.", "date"));
            }
            (from, to) = (day, day);
        }

        // From the rollup the journal keeps beside the records: a row per day, key, model and provider, however
        // many requests there were. Summed over keys here, unless one is asked for.
        await rollup.CompactAsync(context.RequestAborted);
        await using var db = store.Read();
        var cells = db.DailyUsage.Where(u => u.AccountId == accountId && u.Day >= from && u.Day <= to);
        if (api_key_hash is not null)
        {
            var keyId = await db.ApiKeys.Where(k => k.AccountId == accountId && k.Hash == api_key_hash).Select(k => (long?)k.Id).FirstOrDefaultAsync(context.RequestAborted);
            if (keyId is null)
            {
                return ApiResults.Error(ApiError.NotFound("No key with this hash in your account."));
            }
            cells = cells.Where(u => u.ApiKeyId == keyId);
        }
        var rows = await cells
            .GroupBy(u => new { u.Day, u.Model, u.ProviderName })
            .Select(g => new
            {
                g.Key.Day,
                g.Key.Model,
                g.Key.ProviderName,
                Requests = g.Sum(u => u.Requests),
                Usage = g.Sum(u => u.Cost),
                ByokUsage = g.Sum(u => u.UpstreamCost),
                PromptTokens = g.Sum(u => u.PromptTokens),
                CompletionTokens = g.Sum(u => u.CompletionTokens),
                ReasoningTokens = g.Sum(u => u.ReasoningTokens),
            })
            .ToListAsync(context.RequestAborted);
        var data = rows
            .OrderByDescending(r => r.Day).ThenBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.ProviderName, StringComparer.Ordinal)
            .Select(r => new ActivityView(r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.Model, r.Model,
                r.ProviderName, EndpointId: "",
                Money.Normalize(r.Usage), Money.Normalize(r.ByokUsage), r.Requests, r.PromptTokens, r.CompletionTokens, r.ReasoningTokens))
            .ToList();
        return ApiResults.Json(new ActivityEnvelope(data));
    }
}

/// <summary>
/// One row of <c>GET /activity</c>: a UTC day, a model, a provider. <c>provider_name</c> is <c>""</c> for requests no
/// provider answered; the rollup keeps no endpoint, so <c>endpoint_id</c> is <c>""</c>, OpenRouter's empty string.
/// </summary>
internal sealed record ActivityView(
    string Date,
    string Model,
    string ModelPermaslug,
    string ProviderName,
    string EndpointId,
    decimal Usage,
    decimal ByokUsageInference,
    long Requests,
    long PromptTokens,
    long CompletionTokens,
    long ReasoningTokens);

internal sealed record ActivityEnvelope(IReadOnlyList<ActivityView> Data);
