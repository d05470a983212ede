namespace Switchboard.Requests;

/// <summary>
/// What the client asked of reasoning, from OpenRouter's <c>reasoning</c> object, OpenAI's <c>reasoning_effort</c>
/// or the legacy <c>include_reasoning</c>, reduced to what native providers take: on or off, and a token budget.
/// </summary>
internal readonly record struct ReasoningRequest(bool Enabled, string? Effort, int? MaxTokens, bool Exclude)
{
    /// <summary>
    /// The request from its parts: <paramref name="enabled"/> as the client set it (an empty <c>reasoning</c> object
    /// counts as true, as on OpenRouter); when unset, reasoning is on exactly when an effort was named.
    /// </summary>
    public static ReasoningRequest Create(string? effort, int? maxTokens, bool? enabled, bool exclude)
    {
        var on = enabled ?? effort is not null;
        return new ReasoningRequest(on && effort != "none", effort, maxTokens, exclude);
    }

    /// <summary>
    /// A thinking budget for a reply limited to <paramref name="maxOutputTokens"/>: the explicit
    /// <c>reasoning.max_tokens</c>, else a share of the output limit by effort, as OpenRouter maps effort for
    /// budget-based providers (high 80%, medium 50%, low 20%, minimal 10%).
    /// </summary>
    public int Budget(int maxOutputTokens)
    {
        if (MaxTokens is { } explicitBudget)
        {
            return explicitBudget;
        }
        var share = Effort switch
        {
            "max" or "xhigh" => 0.95,
            "high" => 0.8,
            "low" => 0.2,
            "minimal" => 0.1,
            _ => 0.5,
        };
        return (int)(maxOutputTokens * share);
    }
}
