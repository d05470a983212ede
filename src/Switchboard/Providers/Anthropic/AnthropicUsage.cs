using System.Text.Json;
using Switchboard.Providers.Translation;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Claude's usage in OpenAI terms. Claude's <c>input_tokens</c> excludes cache reads and cache writes, while
/// OpenAI's <c>prompt_tokens</c> includes everything read: so prompt = input + cache read + cache write, with the
/// two cache figures reported separately. Counting them once, and each at its own price, is what peers get wrong.
/// </summary>
internal sealed class AnthropicUsage
{
    public int InputTokens { get; private set; }
    public int CacheReadTokens { get; private set; }
    public int CacheWriteTokens { get; private set; }
    public int OutputTokens { get; private set; }
    public int ThinkingTokens { get; private set; }

    /// <summary>Folds in a <c>usage</c> object; stream events carry partial, cumulative figures.</summary>
    public void Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        InputTokens = Int(usage, "input_tokens") ?? InputTokens;
        CacheReadTokens = Int(usage, "cache_read_input_tokens") ?? CacheReadTokens;
        CacheWriteTokens = Int(usage, "cache_creation_input_tokens") ?? CacheWriteTokens;
        OutputTokens = Int(usage, "output_tokens") ?? OutputTokens;
        if (usage.TryGetProperty("output_tokens_details", out var details))
        {
            ThinkingTokens = Int(details, "thinking_tokens") ?? ThinkingTokens;
        }
    }

    public TokenUsage ToTokenUsage() =>
        UsageJson.Create(InputTokens + CacheReadTokens + CacheWriteTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, ThinkingTokens);

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}
