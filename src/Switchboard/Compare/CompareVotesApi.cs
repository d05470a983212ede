using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Api;
using Switchboard.Catalog;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Compare;

/// <summary>
/// The Compare screen's blind votes, kept per account. <c>POST /web/compare/votes</c> records one judgement of a
/// comparison of 2–4 models (<c>best</c> is the winning model, or null for a tie); <c>GET</c> tallies them per pair.
/// </summary>
internal static class CompareVotesApi
{
    public static IEndpointRouteBuilder MapCompareVotes(this IEndpointRouteBuilder app)
    {
        var votes = app.MapGroup("/web/compare/votes").RequireKey(KeyRequirement.Management);
        votes.MapPost("/", RecordAsync);
        votes.MapGet("/", TallyAsync);
        return app;
    }

    private static async Task<IResult> RecordAsync(HttpContext context, ModelCatalog catalog, SwitchboardStore store, TimeProvider time)
    {
        var (body, error) = await JsonRequestBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        var models = body.TryGetProperty("models", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : "").ToList()
            : [];
        if (models.Count is < 2 or > 4 || models.Distinct(StringComparer.Ordinal).Count() != models.Count || models.Any(m => catalog.FindModel(m) is null))
        {
            return ApiResults.Error(ApiError.BadRequest("'models' must list 2 to 4 different catalog models.", "models"));
        }
        string? best = null;
        if (body.TryGetProperty("best", out var bestField) && bestField.ValueKind != JsonValueKind.Null)
        {
            best = bestField.ValueKind == JsonValueKind.String ? bestField.GetString() : null;
            if (best is null || !models.Contains(best))
            {
                return ApiResults.Error(ApiError.BadRequest("'best' must be one of 'models', or null for a tie.", "best"));
            }
        }

        var accountId = context.CallerKey().AccountId;
        var now = time.GetUtcNow().UtcDateTime;
        // The best answer beat each of the others; a tie ties every pair.
        var pairs = best is null
            ? models.SelectMany((a, i) => models.Skip(i + 1).Select(b => (a, b))).ToList()
            : [.. models.Where(m => m != best).Select(other => (best, other))];
        await store.WriteAsync(async db =>
        {
            foreach (var (first, second) in pairs)
            {
                var (a, b) = string.CompareOrdinal(first, second) < 0 ? (first, second) : (second, first);
                var winner = best is null ? "tie" : best == a ? "a" : "b";
                db.CompareVotes.Add(new CompareVote { AccountId = accountId, ModelA = a, ModelB = b, Winner = winner, CreatedAt = now });
            }
            return await db.SaveChangesAsync(context.RequestAborted);
        }, context.RequestAborted);
        return await TallyAsync(context, store);
    }

    private static async Task<IResult> TallyAsync(HttpContext context, SwitchboardStore store)
    {
        var accountId = context.CallerKey().AccountId;
        await using var db = store.Read();
        var tallies = await db.CompareVotes
            .Where(v => v.AccountId == accountId)
            .GroupBy(v => new { v.ModelA, v.ModelB })
            .Select(g => new PairTally(g.Key.ModelA, g.Key.ModelB, g.Count(v => v.Winner == "a"), g.Count(v => v.Winner == "b"), g.Count(v => v.Winner == "tie")))
            .ToListAsync(context.RequestAborted);
        return ApiResults.Json(new PairTallyList([.. tallies.OrderByDescending(t => t.AWins + t.BWins + t.Ties).ThenBy(t => t.ModelA, StringComparer.Ordinal)]));
    }
}

internal sealed record PairTally(string ModelA, string ModelB, int AWins, int BWins, int Ties);

internal sealed record PairTallyList(IReadOnlyList<PairTally> Data);
