namespace Switchboard.Keys;

/// <summary>Where a key's limit period starts: midnight UTC of the day, the Monday, or the 1st; never for no reset.</summary>
internal static class LimitPeriod
{
    public static DateTime Start(LimitReset? reset, DateTime utcNow) => reset switch
    {
        LimitReset.Daily => utcNow.Date,
        LimitReset.Weekly => utcNow.Date.AddDays(-(((int)utcNow.DayOfWeek + 6) % 7)),
        LimitReset.Monthly => new DateTime(utcNow.Year, utcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        _ => DateTime.MinValue,
    };

    public static DateTime? NextReset(LimitReset? reset, DateTime utcNow) => reset switch
    {
        LimitReset.Daily => Start(reset, utcNow).AddDays(1),
        LimitReset.Weekly => Start(reset, utcNow).AddDays(7),
        LimitReset.Monthly => Start(reset, utcNow).AddMonths(1),
        _ => null,
    };

    public static string? Name(LimitReset? reset) => reset?.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out LimitReset? reset)
    {
        reset = value switch
        {
            "daily" => LimitReset.Daily,
            "weekly" => LimitReset.Weekly,
            "monthly" => LimitReset.Monthly,
            _ => null,
        };
        return value is null || reset is not null;
    }
}
