using System.Runtime.InteropServices;

namespace Switchboard.Generations;

/// <summary>
/// Generation records summed into <see cref="DailyUsage"/> rows, the way activity counts them: every record is a
/// request (failed ones too), grouped by the model that answered and the provider's name. The journal sums each
/// batch into <see cref="PendingDailyUsage"/> rows; the compactor sums those into the rows it adds to
/// <c>daily_usage</c>. One dictionary lookup per input, one object per row.
/// </summary>
internal static class DailyUsageCells
{
    /// <summary>A journal batch's records, one pending row per cell.</summary>
    public static List<PendingDailyUsage> Sum(List<GenerationRecord> records)
    {
        if (records.Count == 1)
        {
            // A lone request's batch, the common case when the gateway is idle: no dictionary for one cell.
            var row = Empty<PendingDailyUsage>(CellOf(records[0]));
            row.Add(records[0]);
            return [row];
        }
        var cells = new Dictionary<Cell, PendingDailyUsage>();
        foreach (var record in records)
        {
            Find(cells, CellOf(record)).Add(record);
        }
        return [.. cells.Values];
    }

    /// <summary>
    /// Pending rows merged per cell, in key order (ordinal, like the key's own equality), so replicas sharing a
    /// PostgreSQL database lock the rows they both touch in the same order and cannot deadlock on them.
    /// </summary>
    public static List<DailyUsage> Merge(IEnumerable<PendingDailyUsage> pending)
    {
        var cells = new Dictionary<Cell, DailyUsage>();
        foreach (var row in pending)
        {
            Find(cells, new Cell(row.AccountId, row.Day, row.ApiKeyId, row.Model, row.ProviderName)).Add(row);
        }
        var sorted = new List<DailyUsage>(cells.Values);
        sorted.Sort(Compare);
        return sorted;
    }

    /// <summary>The cell's row, made empty on first use.</summary>
    private static T Find<T>(Dictionary<Cell, T> cells, Cell cell) where T : DailyUsageSums, new()
    {
        ref var usage = ref CollectionsMarshal.GetValueRefOrAddDefault(cells, cell, out _);
        return usage ??= Empty<T>(cell);
    }

    private static T Empty<T>(Cell cell) where T : DailyUsageSums, new() =>
        new() { AccountId = cell.AccountId, Day = cell.Day, ApiKeyId = cell.ApiKeyId, Model = cell.Model, ProviderName = cell.ProviderName };

    private static Cell CellOf(GenerationRecord record) =>
        new(record.AccountId, record.Day, record.ApiKeyId, record.Model, record.ProviderName ?? "");

    private static int Compare(DailyUsage a, DailyUsage b)
    {
        var order = a.AccountId.CompareTo(b.AccountId);
        if (order == 0)
        {
            order = a.Day.CompareTo(b.Day);
        }
        if (order == 0)
        {
            order = a.ApiKeyId.CompareTo(b.ApiKeyId);
        }
        if (order == 0)
        {
            order = string.CompareOrdinal(a.Model, b.Model);
        }
        return order != 0 ? order : string.CompareOrdinal(a.ProviderName, b.ProviderName);
    }

    private readonly record struct Cell(long AccountId, DateOnly Day, long ApiKeyId, string Model, string ProviderName);
}
