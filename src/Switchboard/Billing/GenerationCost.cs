namespace Switchboard.Billing;

/// <summary>
/// What a generation costs, in USD. <see cref="ListPrice"/> is the provider's price for the tokens;
/// <see cref="Charge"/> is what the account's credits pay: the list price plus markup, or only the BYOK fee
/// when the account pays the provider itself.
/// </summary>
internal readonly record struct GenerationCost(decimal PromptCost, decimal CompletionCost, decimal RequestCost, decimal Charge, bool IsByok)
{
    public static readonly GenerationCost Zero = new(0m, 0m, 0m, 0m, false);

    public decimal ListPrice => PromptCost + CompletionCost + RequestCost;

    /// <summary>What counts against a key's limit: the charge, plus the provider's price of BYOK requests when the key says so.</summary>
    public decimal LimitSpend(bool includeByok) => IsByok && includeByok ? Charge + ListPrice : Charge;
}
