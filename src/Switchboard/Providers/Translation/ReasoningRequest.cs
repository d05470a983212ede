using System.Text.Json;

namespace Switchboard.Providers.Translation;

/// <summary>
/// What the client asked of reasoning, from OpenRouter's <c>reasoning</c> object, OpenAI's <c>reasoning_effort</c>
/// or the legacy <c>include_reasoning</c>, reduced to what native providers take: on or off, and a token budget.
/// </summary>
internal readonly record struct ReasoningRequest(bool Enabled, string? Effort, int? MaxTokens, bool Exclude)
{
    public static ReasoningRequest From(JsonElement request)
    {
        string? effort = null;
        int? maxTokens = null;
        bool? enabled = null;
        var exclude = false;
        if (request.TryGetProperty("reasoning", out var reasoning) && reasoning.ValueKind == JsonValueKind.Object)
        {
            if (reasoning.TryGetProperty("effort", out var e) && e.ValueKind == JsonValueKind.String)
            {
                effort = e.GetString();
            }
            if (reasoning.TryGetProperty("max_tokens", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var budget))
            {
                maxTokens = budget;
            }
            if (reasoning.TryGetProperty("enabled", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                enabled = flag.GetBoolean();
            }
            exclude = reasoning.TryGetProperty("exclude", out var x) && x.ValueKind == JsonValueKind.True;
            enabled ??= true; // an empty reasoning object turns reasoning on, as on OpenRouter
        }
        if (effort is null && request.TryGetProperty("reasoning_effort", out var topLevel) && topLevel.ValueKind == JsonValueKind.String)
        {
            effort = topLevel.GetString();
        }
        if (enabled is null && request.TryGetProperty("include_reasoning", out var include) && include.ValueKind == JsonValueKind.True)
        {
            enabled = true;
        }
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
