using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

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
        InputTokens = JsonElements.Int32(usage, "input_tokens") ?? InputTokens;
        CacheReadTokens = JsonElements.Int32(usage, "cache_read_input_tokens") ?? CacheReadTokens;
        CacheWriteTokens = JsonElements.Int32(usage, "cache_creation_input_tokens") ?? CacheWriteTokens;
        OutputTokens = JsonElements.Int32(usage, "output_tokens") ?? OutputTokens;
        if (JsonElements.TryGet(usage, "output_tokens_details", out var details))
        {
            ThinkingTokens = JsonElements.Int32(details, "thinking_tokens") ?? ThinkingTokens;
        }
    }

    public TokenUsage ToTokenUsage() =>
        UsageJson.Create(InputTokens + CacheReadTokens + CacheWriteTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, ThinkingTokens);
}
