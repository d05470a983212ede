using Switchboard.Catalog;

namespace Switchboard.Billing;

/// <summary>
/// Prices token counts with the catalog prices of the endpoint that served them. Cached reads and cache writes
/// use their own prices where the catalog has them, else the prompt price; reasoning tokens are part of the
/// completion count and cost the completion price. All arithmetic is <see cref="decimal"/>, so nothing rounds.
/// </summary>
internal sealed class CostCalculator(BillingRates rates)
{
    private const decimal PerMillion = 1_000_000m;

    /// <param name="promptTokens">All input tokens, cached reads and cache writes included.</param>
    /// <param name="completionTokens">All output tokens, reasoning included.</param>
    public GenerationCost Price(Pricing pricing, bool byok, long promptTokens, long completionTokens, long cachedTokens = 0, long cacheWriteTokens = 0)
    {
        cachedTokens = Math.Clamp(cachedTokens, 0, promptTokens);
        cacheWriteTokens = Math.Clamp(cacheWriteTokens, 0, promptTokens - cachedTokens);
        var uncached = promptTokens - cachedTokens - cacheWriteTokens;
        var prompt = (uncached * pricing.Prompt
            + cachedTokens * (pricing.InputCacheRead ?? pricing.Prompt)
            + cacheWriteTokens * (pricing.InputCacheWrite ?? pricing.Prompt)) / PerMillion;
        var completion = completionTokens * pricing.Completion / PerMillion;
        return WithCharge(prompt, completion, pricing.Request, byok);
    }

    /// <summary>
    /// The most a request could cost on this endpoint: every prompt token at the dearer of the prompt and
    /// cache-write prices, and the full completion allowance.
    /// </summary>
    public GenerationCost WorstCase(Pricing pricing, bool byok, long promptTokens, long completionTokens)
    {
        var promptPrice = Math.Max(pricing.Prompt, pricing.InputCacheWrite ?? 0m);
        return WithCharge(promptTokens * promptPrice / PerMillion, completionTokens * pricing.Completion / PerMillion, pricing.Request, byok);
    }

    /// <summary>What credits pay for <paramref name="listPrice"/>: plus markup, or only the BYOK fee.</summary>
    public decimal Charge(decimal listPrice, bool byok)
    {
        var current = rates.Current;
        return byok ? listPrice * current.ByokFee : listPrice * (1m + current.Markup);
    }

    /// <summary>The charge for one output token on this endpoint.</summary>
    public decimal ChargePerOutputToken(Pricing pricing, bool byok) => Charge(pricing.Completion / PerMillion, byok);

    private GenerationCost WithCharge(decimal prompt, decimal completion, decimal request, bool byok) =>
        new(prompt, completion, request, Charge(prompt + completion + request, byok), byok);
}
