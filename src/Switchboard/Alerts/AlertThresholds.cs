using System.Globalization;

namespace Switchboard.Alerts;

/// <summary>
/// An account's alert thresholds: whole percentages, stored ascending as text (<c>50,80,100</c>); empty turns
/// alerts off. Comparisons are exact decimal arithmetic, so spending exactly half a limit reaches 50 %.
/// </summary>
internal static class AlertThresholds
{
    public const int MaxCount = 10;

    /// <summary>The stored thresholds; anything that is not a percentage from 1 to 100 is skipped rather than failing a check.</summary>
    public static int[] Parse(string? stored) =>
        [.. (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0)
            .Where(value => value is >= 1 and <= 100)
            .Distinct()
            .Order()];

    public static string Format(IEnumerable<int> thresholds) =>
        string.Join(',', thresholds.Distinct().Order().Select(t => t.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The thresholds <paramref name="spent"/> has reached, as a share of <paramref name="of"/>; none when there is nothing to spend.</summary>
    public static IEnumerable<int> Reached(int[] thresholds, decimal spent, decimal of) =>
        of <= 0m ? [] : thresholds.Where(threshold => spent * 100m >= of * threshold);
}
