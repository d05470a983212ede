using Switchboard.Providers;

namespace Switchboard.Billing;

/// <summary>
/// The counts one generation is priced from, with OpenAI's inclusion rules: <see cref="Prompt"/> includes
/// <see cref="CacheRead"/> and <see cref="CacheWrite"/> (and is what picks the price tier); <see cref="Completion"/>
/// includes <see cref="Reasoning"/> and <see cref="ImageOutput"/>. <see cref="Images"/> are the prompt's input images,
/// for endpoints that charge per image.
/// </summary>
internal readonly record struct BilledTokens(long Prompt, long Completion)
{
    public long CacheRead { get; init; }
    public long CacheWrite { get; init; }
    public long Reasoning { get; init; }
    public long ImageOutput { get; init; }
    public int Images { get; init; }

    public static BilledTokens From(TokenUsage usage, int images) => new(usage.PromptTokens, usage.CompletionTokens)
    {
        CacheRead = usage.CachedTokens,
        CacheWrite = usage.CacheWriteTokens,
        Reasoning = usage.ReasoningTokens,
        ImageOutput = usage.ImageTokens,
        Images = images,
    };
}
