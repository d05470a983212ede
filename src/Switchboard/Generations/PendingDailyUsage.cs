namespace Switchboard.Generations;

/// <summary>
/// One journal batch's sums for one <see cref="DailyUsage"/> row, appended in the batch's transaction and folded into
/// <c>daily_usage</c> by <see cref="DailyUsageCompactor"/>. Appending is cheap whatever the batch holds; upserting
/// every cell of every batch, when requests spread over many keys and models, was not.
/// </summary>
internal sealed class PendingDailyUsage : DailyUsageSums
{
    public long Id { get; set; }
}
