namespace Switchboard.Generations;

/// <summary>
/// What activity sums for one UTC day, key, model and provider: the columns <see cref="DailyUsage"/> and
/// <see cref="PendingDailyUsage"/> share. Not an entity itself: each table maps these properties as its own.
/// </summary>
internal abstract class DailyUsageSums
{
    public long AccountId { get; set; }
    public DateOnly Day { get; set; }
    public long ApiKeyId { get; set; }
    public string Model { get; set; } = "";

    /// <summary>The provider's display name; empty when no provider served the request.</summary>
    public string ProviderName { get; set; } = "";

    public long Requests { get; set; }
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    public long ReasoningTokens { get; set; }

    /// <summary>USD charged.</summary>
    public decimal Cost { get; set; }

    /// <summary>USD of provider list price on BYOK requests.</summary>
    public decimal UpstreamCost { get; set; }

    /// <summary>Counts one record: a request, failed ones too.</summary>
    public void Add(GenerationRecord record)
    {
        Requests++;
        PromptTokens += record.TokensPrompt;
        CompletionTokens += record.TokensCompletion;
        ReasoningTokens += record.TokensReasoning;
        Cost += record.Cost;
        UpstreamCost += record.UpstreamCost ?? 0m;
    }

    public void Add(DailyUsageSums other)
    {
        Requests += other.Requests;
        PromptTokens += other.PromptTokens;
        CompletionTokens += other.CompletionTokens;
        ReasoningTokens += other.ReasoningTokens;
        Cost += other.Cost;
        UpstreamCost += other.UpstreamCost;
    }
}
