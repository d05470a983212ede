using System.Text.Json;
using Switchboard.Billing;
using Switchboard.Providers;
using Switchboard.Providers.Translation;
using Switchboard.Requests;
using Switchboard.Routing;
using Switchboard.Streaming;

namespace Switchboard.Chat;

/// <summary>
/// What one generation used and cost, filled in by the attempt that delivered. The provider's final usage is
/// taken as reported. A generation that ended early (client gone, stream cut) is priced from what is known: the
/// prompt count if the provider sent one, else the gateway's estimate; and the larger of the reported output and
/// the output estimated from the text the client received, the estimate never above the output allowance. Either
/// way the whole generation is priced at the tier its prompt count falls in, and the charge stops at the hold
/// (<see cref="GenerationCharge"/>).
/// </summary>
internal sealed class GenerationMeter(CostCalculator costs, ChatRequest request, bool includeByokInLimit)
{
    public RouteAttempt? Route { get; private set; }
    public ProviderRuntime? Provider { get; private set; }
    public TokenUsage? Usage { get; private set; }

    /// <summary>The counts are the gateway's estimate (in part or whole), not the provider's report.</summary>
    public bool UsageEstimated { get; private set; }

    /// <summary>The usage at list price (and markup, or BYOK fee), before the hold caps what is charged.</summary>
    public GenerationCost Cost { get; private set; } = GenerationCost.Zero;

    /// <summary>What settling moves: the cost, capped by <see cref="Hold"/>.</summary>
    public GenerationCharge Charge { get; private set; } = GenerationCharge.None;

    /// <summary>What was reserved for the generation: the ceiling of <see cref="Charge"/>.</summary>
    public CreditHold Hold { get; set; }
    public GeneratedText? Text { get; private set; }

    /// <summary>The completion's text as delivered, kept only when the account stores prompts and completions.</summary>
    public CompletionCapture? Capture { get; init; }

    /// <summary>When the first content reached the client (a <see cref="TimeProvider"/> timestamp); 0 if none did.</summary>
    public long FirstContentAt { get; set; }
    public bool Cancelled { get; set; }
    public bool Priced => Route is not null;

    /// <summary>Prices the generation: <see cref="Usage"/> and <see cref="Charge"/> are what the client is sent and charged.</summary>
    /// <param name="complete">The provider finished and <paramref name="reported"/> is its final usage (if any).</param>
    public void Price(RouteAttempt route, ProviderRuntime provider, TokenUsage? reported, bool complete, GeneratedText text)
    {
        Route = route;
        Provider = provider;
        Text = text;
        UsageEstimated = !complete || reported is null;
        var usage = UsageEstimated ? Estimate(route, provider, reported, text) : reported!;
        Usage = usage;
        Cost = IsZeroCompletion(usage, text)
            ? GenerationCost.Zero with { IsByok = provider.IsByok }
            : costs.Price(route.Endpoint.Pricing, provider.IsByok, BilledTokens.From(usage, request.Prompt.Images));
        Charge = GenerationCharge.Within(Cost, Hold, includeByokInLimit);
    }

    /// <summary>
    /// Prices input-only usage (embeddings): every prompt token at the input price, no output, and no zero-completion
    /// insurance, since vectors are the whole answer.
    /// </summary>
    /// <param name="estimated">The counts are the gateway's (the provider reports none), not the provider's.</param>
    public void PriceInputs(RouteAttempt route, ProviderRuntime provider, TokenUsage usage, bool estimated)
    {
        Route = route;
        Provider = provider;
        UsageEstimated = estimated;
        Usage = usage;
        Cost = costs.Price(route.Endpoint.Pricing, provider.IsByok, new BilledTokens(usage.PromptTokens, 0));
        Charge = GenerationCharge.Within(Cost, Hold, includeByokInLimit);
    }

    /// <summary>Writes the priced <c>usage</c> object, <c>cost</c> (what is charged) included, as the next value of <paramref name="json"/>.</summary>
    public void WriteUsage(Utf8JsonWriter json)
    {
        if (Usage is null)
        {
            throw new InvalidOperationException("The generation has not been priced.");
        }
        PricedUsageJson.Write(json, Usage, Cost, Charge.Charge);
    }

    private TokenUsage Estimate(RouteAttempt route, ProviderRuntime provider, TokenUsage? reported, GeneratedText text)
    {
        var endpoint = route.Endpoint;
        var prompt = reported is { PromptTokens: > 0 } ? reported.PromptTokens : Clamp(PromptBound.Estimate(request.Prompt, endpoint));
        var delivered = Math.Min(TokenEstimator.FromBytes(text.Bytes), provider.Adapter.OutputAllowance(request, endpoint));
        var completion = Math.Max(reported?.CompletionTokens ?? 0, Clamp(delivered));
        return UsageJson.Create(prompt, completion, reported?.CachedTokens ?? 0, reported?.CacheWriteTokens ?? 0, reported?.ReasoningTokens ?? 0, reported?.ImageTokens ?? 0);
    }

    private static int Clamp(long tokens) => (int)Math.Min(tokens, int.MaxValue);

    /// <summary>OpenRouter's zero-completion insurance: no output and no proper finish costs nothing.</summary>
    private static bool IsZeroCompletion(TokenUsage usage, GeneratedText text) =>
        usage.CompletionTokens == 0 && text.FinishReason is null or "error";
}
