using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Billing;

/// <summary>
/// Sizes a reservation: the worst case over every endpoint the request might be served by (fallbacks
/// included), with the estimated prompt and the full output allowance: <c>max_tokens</c>, else the endpoint's
/// maximum output, else whatever of its context the prompt leaves.
/// </summary>
internal sealed class CreditHoldEstimator(CostCalculator costs)
{
    private const int OutputWhenUnknown = 4_096;

    public CreditHoldEstimate Estimate(IReadOnlyList<RouteAttempt> plan, ProviderSet providers, int? maxTokens, long promptTokens, bool includeByokInLimit)
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
            long output = maxTokens ?? endpoint.MaxCompletionTokens
                ?? (endpoint.ContextLength > promptTokens ? endpoint.ContextLength - promptTokens : OutputWhenUnknown);
            var cost = costs.WorstCase(endpoint.Pricing, provider.IsByok, promptTokens, output);
            var keyAmount = cost.LimitSpend(includeByokInLimit);
            if (cost.Charge > worst.Hold.AccountAmount || keyAmount > worst.Hold.KeyAmount)
            {
                worst = new CreditHoldEstimate(
                    new CreditHold(Math.Max(cost.Charge, worst.Hold.AccountAmount), Math.Max(keyAmount, worst.Hold.KeyAmount)),
                    output,
                    costs.Charge(cost.PromptCost + cost.RequestCost, provider.IsByok),
                    costs.ChargePerOutputToken(endpoint.Pricing, provider.IsByok));
            }
        }
        return worst;
    }
}

/// <summary>The hold, and what the 402 message needs: the output allowance and the costs it was priced from.</summary>
internal readonly record struct CreditHoldEstimate(CreditHold Hold, long OutputTokens, decimal FixedCharge, decimal ChargePerOutputToken)
{
    /// <summary>Output tokens <paramref name="available"/> USD would pay for on the dearest endpoint.</summary>
    public long AffordableOutputTokens(decimal available) =>
        ChargePerOutputToken <= 0m ? (available >= FixedCharge ? OutputTokens : 0)
        : (long)Math.Max(0m, Math.Floor((available - FixedCharge) / ChargePerOutputToken));
}
