using System.Collections.Immutable;

namespace Switchboard.Catalog;

/// <summary>
/// List prices of one endpoint. Token prices are USD per million tokens, as providers publish them and as
/// the catalog file stores them; <see cref="Request"/> and <see cref="Image"/> are USD per request and per input image.
/// The API exposes per-token strings.
/// </summary>
internal sealed record Pricing(
    decimal Prompt,
    decimal Completion,
    decimal Request = 0m,
    decimal? InputCacheRead = null,
    decimal? InputCacheWrite = null)
{
    public static readonly Pricing Free = new(0m, 0m);

    /// <summary>USD per input image, where the provider bills images per image rather than as prompt tokens.</summary>
    public decimal Image { get; init; }

    /// <summary>USD per million output image tokens, where it differs from <see cref="Completion"/>.</summary>
    public decimal? ImageOutput { get; init; }

    /// <summary>USD per million reasoning tokens, where it differs from <see cref="Completion"/>.</summary>
    public decimal? InternalReasoning { get; init; }

    /// <summary>
    /// Long-context tiers, ascending by threshold. A request whose prompt exceeds a tier's threshold is charged wholly
    /// at the highest tier it exceeds (<see cref="ForPrompt"/>), as Gemini Pro above 200K tokens and Qwen-Max above 32K are.
    /// </summary>
    public ImmutableArray<PriceTier> Tiers { get; init; } = [];

    public bool IsFree => Prompt == 0m && Completion == 0m && Request == 0m && Image == 0m;

    /// <summary>The single figure routing compares: prompt plus completion price per million tokens.</summary>
    public decimal Blended => Prompt + Completion;

    /// <summary>
    /// The prices a request with <paramref name="promptTokens"/> prompt tokens (cached ones included) is charged at:
    /// these, or those of the highest tier it exceeds. Prices grow with the tier (the builder refuses a catalog where
    /// they fall), so the prices for an upper bound of the prompt are an upper bound of the prices charged.
    /// </summary>
    public Pricing ForPrompt(long promptTokens)
    {
        for (var i = Tiers.Length - 1; i >= 0; i--)
        {
            if (promptTokens > Tiers[i].AbovePromptTokens)
            {
                return Tiers[i].Prices;
            }
        }
        return this;
    }

    // Record equality would compare the tier arrays by reference; two endpoints with the same lists are the same price.
    public bool Equals(Pricing? other) =>
        other is not null
        && Prompt == other.Prompt && Completion == other.Completion && Request == other.Request
        && InputCacheRead == other.InputCacheRead && InputCacheWrite == other.InputCacheWrite
        && Image == other.Image && ImageOutput == other.ImageOutput && InternalReasoning == other.InternalReasoning
        && Tiers.AsSpan().SequenceEqual(other.Tiers.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Prompt, Completion, Request, InputCacheRead, InputCacheWrite, Image, Tiers.Length);
}

/// <summary>
/// One long-context tier: above <see cref="AbovePromptTokens"/> prompt tokens, the whole request costs
/// <see cref="Prices"/> (the base prices with the tier's overrides, and no further tiers).
/// </summary>
internal sealed record PriceTier(long AbovePromptTokens, Pricing Prices);
