namespace Switchboard.Bench.Scenarios;

/// <summary>
/// Targets take turns within a round, and each round starts with a different target, so a burst of machine
/// noise or a slow first block after a pause does not always land on the same target.
/// </summary>
internal static class RoundOrder
{
    public static IEnumerable<T> Rotate<T>(IReadOnlyList<T> items, int round)
    {
        for (var i = 0; i < items.Count; i++)
        {
            yield return items[(round + i) % items.Count];
        }
    }
}
