namespace Switchboard.Billing;

/// <summary>
/// What settling one generation moves. <see cref="Charge"/> comes off the account and <see cref="LimitSpend"/>
/// counts against the key's limit, each at most what was held for it: a hold is the ceiling of what a request can
/// spend, whatever the provider reports. What the priced usage came to beyond the account's hold is
/// <see cref="Uncollected"/>: charged to nobody, booked on a ledger line of its own for the operator to see.
/// </summary>
internal readonly record struct GenerationCharge(decimal Charge, decimal LimitSpend, decimal ByokSpend, decimal Uncollected)
{
    public static readonly GenerationCharge None = new(0m, 0m, 0m, 0m);

    public static GenerationCharge Within(GenerationCost cost, CreditHold hold, bool includeByokInLimit)
    {
        var charge = Math.Min(cost.Charge, hold.AccountAmount);
        return new GenerationCharge(
            charge,
            Math.Min(cost.LimitSpend(includeByokInLimit), hold.KeyAmount),
            cost.IsByok ? cost.ListPrice : 0m,
            cost.Charge - charge);
    }
}
