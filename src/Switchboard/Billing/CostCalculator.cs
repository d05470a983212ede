using Switchboard.Catalog;

namespace Switchboard.Billing;

/// <summary>
/// Prices token counts with the catalog prices of the endpoint that served them, at the tier the prompt falls in
/// (<see cref="Pricing.ForPrompt"/>): the whole request, prompt, cache, completion and reasoning, at that tier's
/// prices. Cached reads and cache writes use their own prices where the catalog has them, else the prompt price;
/// reasoning tokens and output image tokens are part of the completion count and cost <c>internal_reasoning</c> and
/// <c>image_output</c> where the catalog sets them, else the completion price; each input image adds <c>image</c>.
/// All arithmetic is <see cref="decimal"/>, so nothing rounds.
/// </summary>
internal sealed class CostCalculator(BillingRates rates)
{
    private const decimal PerMillion = 1_000_000m;

    public GenerationCost Price(Pricing listed, bool byok, in BilledTokens tokens)
    {
        var promptTokens = Math.Max(tokens.Prompt, 0);
        var completionTokens = Math.Max(tokens.Completion, 0);
        var pricing = listed.ForPrompt(promptTokens);
        var cached = Math.Clamp(tokens.CacheRead, 0, promptTokens);
        var cacheWrite = Math.Clamp(tokens.CacheWrite, 0, promptTokens - cached);
        var uncached = promptTokens - cached - cacheWrite;
        var prompt = (uncached * pricing.Prompt
            + cached * (pricing.InputCacheRead ?? pricing.Prompt)
            + cacheWrite * (pricing.InputCacheWrite ?? pricing.Prompt)) / PerMillion
            + Math.Max(tokens.Images, 0) * pricing.Image;
        var reasoning = Math.Clamp(tokens.Reasoning, 0, completionTokens);
        var imageOutput = Math.Clamp(tokens.ImageOutput, 0, completionTokens - reasoning);
        var text = completionTokens - reasoning - imageOutput;
        var completion = (text * pricing.Completion
            + reasoning * (pricing.InternalReasoning ?? pricing.Completion)
            + imageOutput * (pricing.ImageOutput ?? pricing.Completion)) / PerMillion;
        return WithCharge(prompt, completion, pricing.Request, byok);
    }

    /// <summary>
    /// The most a request could cost on this endpoint when its prompt is at most <paramref name="promptTokens"/>:
    /// every prompt token at the dearest input price and every output token at the dearest output price
    /// (<see cref="HoldPrices"/>), each input image at the image price, and the per-request price.
    /// </summary>
    public GenerationCost WorstCase(Pricing listed, bool byok, long promptTokens, long completionTokens, int images = 0)
    {
        var worst = HoldPrices.For(listed, promptTokens);
        return WithCharge(
            promptTokens * worst.Input / PerMillion + Math.Max(images, 0) * worst.Image,
            completionTokens * worst.Output / PerMillion,
            worst.Request,
            byok);
    }

    /// <summary>What credits pay for <paramref name="listPrice"/>: plus markup, or only the BYOK fee.</summary>
    public decimal Charge(decimal listPrice, bool byok)
    {
        var current = rates.Current;
        return byok ? listPrice * current.ByokFee : listPrice * (1m + current.Markup);
    }

    /// <summary>The charge the hold assumes for one output token on this endpoint, for a prompt of at most <paramref name="promptTokens"/>.</summary>
    public decimal ChargePerOutputToken(Pricing listed, bool byok, long promptTokens) =>
        Charge(HoldPrices.For(listed, promptTokens).Output / PerMillion, byok);

    private GenerationCost WithCharge(decimal prompt, decimal completion, decimal request, bool byok) =>
        new(prompt, completion, request, Charge(prompt + completion + request, byok), byok);

    /// <summary>
    /// The dearest price of each kind a request with a prompt of at most <c>promptTokens</c> can be charged: input
    /// (prompt, cache read or cache write) and output (completion, reasoning or image output) per million tokens,
    /// per request and per image, over the base prices and every tier that prompt can reach. The builder refuses tiers
    /// whose prices fall, so this is the upper bound's own tier; taking the maximum over all reachable tiers keeps
    /// the hold a worst case even where configuration overrode the base prices above a tier's.
    /// </summary>
    private readonly record struct HoldPrices(decimal Input, decimal Output, decimal Request, decimal Image)
    {
        public static HoldPrices For(Pricing listed, long promptTokens)
        {
            var worst = Of(listed);
            foreach (var tier in listed.Tiers)
            {
                if (promptTokens <= tier.AbovePromptTokens)
                {
                    break;
                }
                var prices = Of(tier.Prices);
                worst = new(
                    Math.Max(worst.Input, prices.Input), Math.Max(worst.Output, prices.Output),
                    Math.Max(worst.Request, prices.Request), Math.Max(worst.Image, prices.Image));
            }
            return worst;
        }

        private static HoldPrices Of(Pricing p) => new(
            Math.Max(p.Prompt, Math.Max(p.InputCacheWrite ?? 0m, p.InputCacheRead ?? 0m)),
            Math.Max(p.Completion, Math.Max(p.InternalReasoning ?? 0m, p.ImageOutput ?? 0m)),
            p.Request,
            p.Image);
    }
}
