namespace Switchboard.Generations;

/// <summary>
/// One journal batch's sums for one <see cref="DailyUsage"/> row, appended in the batch's transaction and folded into
/// <c>daily_usage</c> by <see cref="DailyUsageCompactor"/>. Appending is cheap whatever the batch holds; upserting
/// every cell of every batch, when requests spread over many keys and models, was not.
/// </summary>
internal sealed class PendingDailyUsage
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public DateOnly Day { get; set; }
    public long ApiKeyId { get; set; }
    public required string Model { get; set; }
    public required string ProviderName { get; set; }
    public long Requests { get; set; }
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    public long ReasoningTokens { get; set; }
    public decimal Cost { get; set; }
    public decimal UpstreamCost { get; set; }
}
