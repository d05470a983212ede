namespace Switchboard.Billing;

internal static class Money
{
    /// <summary>
    /// The same amount without trailing zeros (decimal arithmetic keeps the scale of its operands, so
    /// 29 × 0.150 is 4.350): 0.00000435, not 0.0000043500.
    /// </summary>
    public static decimal Normalize(decimal amount) => amount / 1.000000000000000000000000000000000m;
}
