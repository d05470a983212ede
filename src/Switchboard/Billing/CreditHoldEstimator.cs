using Switchboard.Catalog;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Routing;

namespace Switchboard.Billing;

/// <summary>
/// Sizes a reservation: the most the request can cost on any endpoint it might be served by, fallbacks included.
/// Prompt tokens are <see cref="PromptBound.Tokens"/>, and the prices are those of the tier that bound falls in
/// (tier prices never fall with the prompt, so no smaller prompt is charged more per token): every prompt token at
/// the dearest input price, every output token at the dearest of the completion, reasoning and image-output prices,
/// and each input image at the image price. Output is the adapter's <see cref="IProviderAdapter.OutputAllowance"/>,
/// which follows exactly what that provider is sent: every output-limit field, <c>n</c>, thinking budgets and
/// predictions. Settlement never charges more than this (<see cref="GenerationCharge"/>), so it is the ceiling of what
/// one request can spend.
/// </summary>
internal sealed class CreditHoldEstimator(CostCalculator costs)
{
    /// <param name="countedText">The text's tokenizer count, when one was made; otherwise text is held at its byte bound.</param>
    public CreditHoldEstimate Estimate(ChatRequest request, IReadOnlyList<RouteAttempt> plan, ProviderSet providers, bool includeByokInLimit, long? countedText = null)
    {
        var worst = new CreditHoldEstimate(new CreditHold(0m, 0m), 0, 0m, 0m);
        foreach (var route in plan)
        {
            var provider = providers[route.Endpoint.Provider];
            if (!provider.IsConfigured)
            {
                continue;
            }
            var endpoint = route.Endpoint;
            var prompt = PromptBound.Tokens(request.Prompt, endpoint, TextTokens(request.Prompt, endpoint, countedText));
            var output = provider.Adapter.OutputAllowance(request, endpoint);
            var cost = costs.WorstCase(endpoint.Pricing, provider.IsByok, prompt, output, request.Prompt.Images);
            var keyAmount = cost.LimitSpend(includeByokInLimit);
            if (cost.Charge > worst.Hold.AccountAmount || keyAmount > worst.Hold.KeyAmount)
            {
                worst = new CreditHoldEstimate(
                    new CreditHold(Math.Max(cost.Charge, worst.Hold.AccountAmount), Math.Max(keyAmount, worst.Hold.KeyAmount)),
                    output,
                    costs.Charge(cost.PromptCost + cost.RequestCost, provider.IsByok),
                    costs.ChargePerOutputToken(endpoint.Pricing, provider.IsByok, prompt));
            }
        }
        return worst;
    }

    /// <summary>
    /// An embeddings request's hold: input only (<see cref="EmbeddingInputBound"/>), at the dearest endpoint it may be
    /// served by and the tier that bound falls in. Embedding models bill no output, so nothing else is held.
    /// </summary>
    public CreditHoldEstimate EstimateInputs(IReadOnlyList<long> inputBounds, IReadOnlyList<RouteAttempt> plan, ProviderSet providers, bool includeByokInLimit)
    {
        var worst = new CreditHoldEstimate(new CreditHold(0m, 0m), 0, 0m, 0m);
        foreach (var route in plan)
        {
            var provider = providers[route.Endpoint.Provider];
            if (!provider.IsConfigured)
            {
                continue;
            }
            var cost = costs.WorstCase(route.Endpoint.Pricing, provider.IsByok, EmbeddingInputBound.Tokens(inputBounds, route.Endpoint), 0);
            var keyAmount = cost.LimitSpend(includeByokInLimit);
            worst = worst with
            {
                Hold = new CreditHold(Math.Max(cost.Charge, worst.Hold.AccountAmount), Math.Max(keyAmount, worst.Hold.KeyAmount)),
                FixedCharge = Math.Max(cost.Charge, worst.FixedCharge),
            };
        }
        return worst;
    }

    /// <summary>
    /// A tokenizer's count with the model's margin (tokenizers other than o200k count the same text differently),
    /// never above the byte bound, which holds for every tokenizer.
    /// </summary>
    private static long? TextTokens(PromptShape shape, CatalogEndpoint endpoint, long? counted) =>
        counted is { } tokens ? Math.Min(shape.TextBytes, (long)Math.Ceiling(tokens * PromptBound.TokenizerMargin(endpoint.Model))) : null;
}

/// <summary>The hold, and what the 402 message needs: the output allowance and the costs it was priced from.</summary>
internal readonly record struct CreditHoldEstimate(CreditHold Hold, long OutputTokens, decimal FixedCharge, decimal ChargePerOutputToken)
{
    /// <summary>Output tokens <paramref name="available"/> USD would pay for on the dearest endpoint.</summary>
    public long AffordableOutputTokens(decimal available) =>
        ChargePerOutputToken <= 0m ? (available >= FixedCharge ? OutputTokens : 0)
        : (long)Math.Max(0m, Math.Floor((available - FixedCharge) / ChargePerOutputToken));
}
