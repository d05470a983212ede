using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Keys;

namespace Switchboard.Web;

/// <summary>
/// The Activity screen's data for the signed-in account, every query filtered by UTC day range, key, model and
/// provider: <c>GET /web/activity</c> (spend, tokens and requests per day, split by model, provider or key),
/// <c>GET /web/generations</c> (newest first, a page at a time) and <c>GET /web/generations.csv</c> (the same rows).
/// </summary>
internal static class WebActivityApi
{
    private const int PageSize = 50;
    private const int MaxCsvRows = 100_000;
    private const int MaxDays = 366;

    public static IEndpointRouteBuilder MapWebActivity(this IEndpointRouteBuilder app)
    {
        var web = app.MapGroup("/web").RequireKey(KeyRequirement.Management);
        web.MapGet("/activity", ActivityAsync).AfterJournalFlush();
        web.MapGet("/generations", GenerationsAsync).AfterJournalFlush();
        web.MapGet("/generations.csv", CsvAsync).AfterJournalFlush();
        web.MapGet("/generations/{id}/content", ContentAsync).AfterJournalFlush();
        return app;
    }

    /// <summary>The stored text of one of the account's generations: only there when the account stores prompts and completions.</summary>
    private static async Task<IResult> ContentAsync(HttpContext context, SwitchboardStore store, string id)
    {
        await using var db = store.Read();
        var accountId = context.CallerKey().AccountId;
        var content = await db.GenerationContents.AsNoTracking()
            .FirstOrDefaultAsync(c => c.GenerationId == id && c.AccountId == accountId, context.RequestAborted);
        return content is null
            ? ApiResults.Error(ApiError.NotFound("No stored text for this generation: the account was not storing prompts and completions (Settings) when it ran."))
            : ApiResults.Json(new GenerationContentView(content.GenerationId, content.Prompt, content.Completion));
    }

    private static async Task<IResult> ActivityAsync(
        HttpContext context, SwitchboardStore store, DailyUsageCompactor rollup, TimeProvider time, string? group)
    {
        var (filter, error) = await ActivityFilter.ReadAsync(context, store, time);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        if (group is not (null or "model" or "provider" or "key"))
        {
            return ApiResults.Error(ApiError.BadRequest("'group' must be model, provider or key.", "group"));
        }
        // The rollup's cells of the range, by day × model × provider × key: the chart, its totals and the filter
        // choices (which ignore the model and provider filters, so either can be changed) all come from these.
        // Their number grows with days, keys and models, never with requests.
        await rollup.CompactAsync(context.RequestAborted);
        await using var db = store.Read();
        var cells = await filter!.Apply(db.DailyUsage)
            .Select(u => new ActivityCell(u.Day, u.Model, u.ProviderName, u.ApiKeyId, u.Requests, u.Cost, u.PromptTokens + u.CompletionTokens))
            .ToListAsync(context.RequestAborted);
        var keyNames = await db.ApiKeys.Where(k => k.AccountId == filter.AccountId)
            .Select(k => new { k.Id, k.Hash, k.Name }).ToListAsync(context.RequestAborted);
        var keyName = keyNames.ToDictionary(k => k.Id, k => k.Name);
        Func<ActivityCell, string> name = group switch
        {
            "provider" => c => c.Provider.Length > 0 ? c.Provider : "(none)",
            "key" => c => keyName.GetValueOrDefault(c.ApiKeyId) ?? $"key {c.ApiKeyId}",
            _ => c => c.Model,
        };

        var days = filter.To.DayNumber - filter.From.DayNumber + 1;
        var sums = new Dictionary<string, SeriesSums>(StringComparer.Ordinal);
        var total = new SeriesSums(days: 1); // the whole range as one day
        foreach (var cell in cells)
        {
            if ((filter.Model is not null && cell.Model != filter.Model) || (filter.Provider is not null && cell.Provider != filter.Provider))
            {
                continue;
            }
            var label = name(cell);
            if (!sums.TryGetValue(label, out var one))
            {
                one = new SeriesSums(days);
                sums[label] = one;
            }
            one.Add(cell.Day.DayNumber - filter.From.DayNumber, cell);
            total.Add(0, cell);
        }
        return ApiResults.Json(new ActivityChart(
            [.. Enumerable.Range(0, days).Select(i => Day(filter.From.AddDays(i)))],
            [.. sums.OrderByDescending(s => s.Value.TotalSpend).ThenByDescending(s => s.Value.TotalRequests)
                .Select(s => new ActivitySeries(s.Key, [.. s.Value.Spend.Select(Money.Normalize)], s.Value.Tokens, s.Value.Requests))],
            new ActivityTotals(Money.Normalize(total.Spend[0]), total.Tokens[0], total.Requests[0]),
            [.. keyNames.Select(k => new ActivityKeyOption(k.Hash, k.Name))],
            [.. cells.Select(c => c.Model).Distinct().Order(StringComparer.Ordinal)],
            [.. cells.Where(c => c.Provider.Length > 0).Select(c => c.Provider).Distinct().Order(StringComparer.Ordinal)]));
    }

    /// <summary>One row of the rollup; <see cref="Provider"/> is empty when no provider served the requests.</summary>
    private sealed record ActivityCell(DateOnly Day, string Model, string Provider, long ApiKeyId, long Requests, decimal Spend, long Tokens);

    /// <summary>A series' sums per day of the range, indexed from its first day.</summary>
    private sealed class SeriesSums(int days)
    {
        public decimal[] Spend { get; } = new decimal[days];
        public long[] Tokens { get; } = new long[days];
        public long[] Requests { get; } = new long[days];
        public decimal TotalSpend { get; private set; }
        public long TotalRequests { get; private set; }

        public void Add(int day, ActivityCell cell)
        {
            Spend[day] += cell.Spend;
            Tokens[day] += cell.Tokens;
            Requests[day] += cell.Requests;
            TotalSpend += cell.Spend;
            TotalRequests += cell.Requests;
        }
    }

    private static async Task<IResult> GenerationsAsync(HttpContext context, SwitchboardStore store, TimeProvider time, string? before)
    {
        var (filter, error) = await ActivityFilter.ReadAsync(context, store, time);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        if (!Cursor.TryParse(before, out var cursor))
        {
            return ApiResults.Error(ApiError.BadRequest("'before' must be the 'next' value of the previous page.", "before"));
        }
        await using var db = store.Read();
        var page = await Page(db, filter!, cursor, PageSize + 1).ToListAsync(context.RequestAborted);
        var more = page.Count > PageSize;
        page = page.Take(PageSize).ToList();
        var names = await KeyNamesAsync(db, filter!.AccountId, context.RequestAborted);
        return ApiResults.Json(new GenerationPage(
            [.. page.Select(g => GenerationRow.From(g, names))],
            more ? Cursor.Of(page[^1]).ToString() : null));
    }

    private static async Task CsvAsync(HttpContext context, SwitchboardStore store, TimeProvider time)
    {
        var (filter, error) = await ActivityFilter.ReadAsync(context, store, time);
        if (error is not null)
        {
            await ApiErrorWriter.WriteAsync(context.Response, error);
            return;
        }
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"generations-{Day(filter!.From)}-{Day(filter.To)}.csv\"";
        await using var db = store.Read();
        var names = await KeyNamesAsync(db, filter.AccountId, context.RequestAborted);
        var csv = new StringBuilder(GenerationRow.CsvHeader).Append('\n');
        Cursor? cursor = null;
        for (var written = 0; written < MaxCsvRows;)
        {
            // A page at a time, written as it is read: memory stays flat however many rows match.
            var page = await Page(db, filter, cursor, 1000).ToListAsync(context.RequestAborted);
            foreach (var generation in page)
            {
                GenerationRow.From(generation, names).AppendCsv(csv);
            }
            await context.Response.WriteAsync(csv.ToString(), context.RequestAborted);
            csv.Clear();
            written += page.Count;
            if (page.Count < 1000)
            {
                break;
            }
            cursor = Cursor.Of(page[^1]);
        }
    }

    private static IQueryable<GenerationRecord> Page(SwitchboardDbContext db, ActivityFilter filter, Cursor? cursor, int count)
    {
        // Day first: the (AccountId, Day) index hands rows over a day at a time, so only the newest days are sorted
        // by time, not every row in the range. A record's day is its creation time's, so the order is the same.
        var rows = filter.Apply(db.Generations);
        if (cursor is { } c)
        {
            var day = DateOnly.FromDateTime(c.CreatedAt);
            rows = rows.Where(g => g.Day < day
                || (g.Day == day && (g.CreatedAt < c.CreatedAt || (g.CreatedAt == c.CreatedAt && string.Compare(g.Id, c.Id) < 0))));
        }
        return rows.OrderByDescending(g => g.Day).ThenByDescending(g => g.CreatedAt).ThenByDescending(g => g.Id).Take(count);
    }

    private static async Task<Dictionary<long, string>> KeyNamesAsync(SwitchboardDbContext db, long accountId, CancellationToken cancellationToken) =>
        await db.ApiKeys.Where(k => k.AccountId == accountId).ToDictionaryAsync(k => k.Id, k => k.Name, cancellationToken);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The position after a row, newest first: its time and id, so rows sharing a time are neither skipped nor repeated.</summary>
    private readonly record struct Cursor(DateTime CreatedAt, string Id)
    {
        public static Cursor Of(GenerationRecord row) => new(row.CreatedAt, row.Id);

        public override string ToString() => $"{CreatedAt.Ticks}_{Id}";

        public static bool TryParse(string? value, out Cursor? cursor)
        {
            cursor = null;
            if (string.IsNullOrEmpty(value))
            {
                return true;
            }
            var split = value.IndexOf('_', StringComparison.Ordinal);
            if (split <= 0 || !long.TryParse(value.AsSpan(0, split), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            {
                return false;
            }
            cursor = new Cursor(new DateTime(ticks, DateTimeKind.Utc), value[(split + 1)..]);
            return true;
        }
    }

    /// <summary>The screen's filters: <c>from</c>/<c>to</c> (UTC days, the last 30 by default), <c>key</c> (hash), <c>model</c>, <c>provider</c>.</summary>
    private sealed record ActivityFilter(long AccountId, DateOnly From, DateOnly To, long? KeyId, string? Model, string? Provider)
    {
        public static async Task<(ActivityFilter? Filter, ApiError? Error)> ReadAsync(HttpContext context, SwitchboardStore store, TimeProvider time)
        {
            var query = context.Request.Query;
            var accountId = context.CallerKey().AccountId;
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            if (!TryDay(query["from"], today.AddDays(-29), out var from) || !TryDay(query["to"], today, out var to))
            {
                return (null, ApiError.BadRequest("'from' and 'to' must be UTC days, YYYY-MM-DD."));
            }
            if (to < from || to.DayNumber - from.DayNumber >= MaxDays)
            {
                return (null, ApiError.BadRequest($"'from' must not be after 'to', and the range at most {MaxDays} days."));
            }
            long? keyId = null;
            if (query["key"].ToString() is { Length: > 0 } hash)
            {
                await using var db = store.Read();
                keyId = await db.ApiKeys.Where(k => k.AccountId == accountId && k.Hash == hash).Select(k => (long?)k.Id).FirstOrDefaultAsync(context.RequestAborted);
                if (keyId is null)
                {
                    return (null, ApiError.NotFound("No key with this hash in your account."));
                }
            }
            var model = query["model"].ToString();
            var provider = query["provider"].ToString();
            return (new ActivityFilter(accountId, from, to, keyId, model.Length > 0 ? model : null, provider.Length > 0 ? provider : null), null);
        }

        public IQueryable<GenerationRecord> Apply(IQueryable<GenerationRecord> rows)
        {
            rows = rows.Where(g => g.AccountId == AccountId && g.Day >= From && g.Day <= To);
            if (KeyId is { } key)
            {
                rows = rows.Where(g => g.ApiKeyId == key);
            }
            if (Model is { } model)
            {
                rows = rows.Where(g => g.Model == model);
            }
            if (Provider is { } provider)
            {
                rows = rows.Where(g => g.ProviderName == provider);
            }
            return rows;
        }

        /// <summary>The rollup's rows of the range and key; the model and provider filters are the caller's to apply.</summary>
        public IQueryable<DailyUsage> Apply(IQueryable<DailyUsage> cells)
        {
            cells = cells.Where(u => u.AccountId == AccountId && u.Day >= From && u.Day <= To);
            return KeyId is { } key ? cells.Where(u => u.ApiKeyId == key) : cells;
        }

        private static bool TryDay(string? value, DateOnly fallback, out DateOnly day)
        {
            day = fallback;
            return string.IsNullOrEmpty(value) || DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
        }
    }
}

internal sealed record ActivityChart(
    IReadOnlyList<string> Days, IReadOnlyList<ActivitySeries> Series, ActivityTotals Totals,
    IReadOnlyList<ActivityKeyOption> Keys, IReadOnlyList<string> Models, IReadOnlyList<string> Providers);

/// <summary>One stacked series: a model, provider or key, with a value per day of <see cref="ActivityChart.Days"/>.</summary>
internal sealed record ActivitySeries(string Name, IReadOnlyList<decimal> Spend, IReadOnlyList<long> Tokens, IReadOnlyList<long> Requests);

internal sealed record ActivityTotals(decimal Spend, long Tokens, long Requests);

internal sealed record ActivityKeyOption(string Hash, string Name);

internal sealed record GenerationPage(IReadOnlyList<GenerationRow> Data, string? Next);

internal sealed record GenerationRow(
    string Id, DateTime CreatedAt, string Model, string? Provider, string Key, int Status, bool Streamed, bool Cancelled,
    int TokensPrompt, int TokensCompletion, decimal Cost, int LatencyMs, int? TimeToFirstTokenMs)
{
    public const string CsvHeader = "id,created_at,model,provider,key,status,streamed,cancelled,tokens_prompt,tokens_completion,cost_usd,latency_ms,time_to_first_token_ms";

    public static GenerationRow From(GenerationRecord g, IReadOnlyDictionary<long, string> keyNames) => new(
        g.Id, g.CreatedAt, g.Model, g.ProviderName, keyNames.GetValueOrDefault(g.ApiKeyId, $"key {g.ApiKeyId}"), g.Status, g.Streamed, g.Cancelled,
        g.TokensPrompt, g.TokensCompletion, Money.Normalize(g.Cost), g.LatencyMs, g.TimeToFirstTokenMs);

    public void AppendCsv(StringBuilder csv)
    {
        var invariant = CultureInfo.InvariantCulture;
        csv.Append(Field(Id)).Append(',').Append(CreatedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", invariant)).Append(',')
            .Append(Field(Model)).Append(',').Append(Field(Provider ?? "")).Append(',').Append(Field(Key)).Append(',')
            .Append(Status.ToString(invariant)).Append(',').Append(Streamed ? "true" : "false").Append(',').Append(Cancelled ? "true" : "false").Append(',')
            .Append(TokensPrompt.ToString(invariant)).Append(',').Append(TokensCompletion.ToString(invariant)).Append(',')
            .Append(Cost.ToString(invariant)).Append(',').Append(LatencyMs.ToString(invariant)).Append(',')
            .Append(TimeToFirstTokenMs?.ToString(invariant) ?? "").Append('\n');
    }

    /// <summary>RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}

/// <summary>A generation's stored text: the request body as sent, and the completion as delivered.</summary>
internal sealed record GenerationContentView(string Id, string Request, string Completion);
