using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Requests;

namespace Switchboard.Routing;

/// <summary>
/// The prices routing compares for one request on one endpoint. An endpoint with long-context tiers costs what the
/// request's prompt makes it cost, so routing reads the tier from the prompt's shape, which is already measured
/// (arithmetic only, no tokenizer). Endpoints without tiers answer their base prices.
/// </summary>
internal static class RoutePrices
{
    /// <summary>
    /// What the sort by price and the price-weighted pick compare: the tier of the prompt's estimate
    /// (<see cref="PromptBound.Estimate"/>, four bytes a token of text and media at their ceilings), the best guess of
    /// what the request will be charged.
    /// </summary>
    public static Pricing Expected(CatalogEndpoint endpoint, ChatRequest request) =>
        endpoint.Pricing.Tiers.IsEmpty ? endpoint.Pricing : endpoint.Pricing.ForPrompt(PromptBound.Estimate(request.Prompt, endpoint));

    /// <summary>
    /// What <c>provider.max_price</c> compares: the tier of the prompt's upper bound (<see cref="PromptBound.Tokens"/>,
    /// the hold's), since a limit must hold for whatever the provider counts. A prompt the estimate places below a
    /// threshold and the bound above it is kept off that endpoint when its higher tier exceeds the limit.
    /// </summary>
    public static Pricing Ceiling(CatalogEndpoint endpoint, ChatRequest request) =>
        endpoint.Pricing.Tiers.IsEmpty ? endpoint.Pricing : endpoint.Pricing.ForPrompt(PromptBound.Tokens(request.Prompt, endpoint));
}
