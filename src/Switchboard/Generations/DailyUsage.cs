namespace Switchboard.Generations;

/// <summary>
/// Generation records summed per UTC day, key, model and provider, kept by the journal in the same transaction
/// as the records. Activity charts read these rows, whose number does not grow with requests, instead of the records.
/// </summary>
internal sealed class DailyUsage
{
    public long AccountId { get; set; }
    public DateOnly Day { get; set; }
    public long ApiKeyId { get; set; }
    public required string Model { get; set; }

    /// <summary>The provider's display name; empty when no provider served the request.</summary>
    public required string ProviderName { get; set; }

    public long Requests { get; set; }
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    public long ReasoningTokens { get; set; }

    /// <summary>USD charged.</summary>
    public decimal Cost { get; set; }

    /// <summary>USD of provider list price on BYOK requests.</summary>
    public decimal UpstreamCost { get; set; }
}
