using System.Globalization;

namespace Switchboard.Data;

/// <summary>
/// Microsoft.Data.Sqlite's text form of a decimal, the format <c>0.0###########################</c>: every digit the
/// value has, no trailing fractional zeros, and at least one fractional digit. Written as the default form (which
/// keeps the value's scale) and then trimmed, because a custom format string takes the runtime's general formatting
/// path, which cost the journal half a percent of the gateway's CPU at saturation (every row binds several decimals).
/// </summary>
internal static class SqliteDecimalText
{
    public static bool TryFormat(decimal value, Span<char> destination, out int length) =>
        value.TryFormat(destination, out length, provider: CultureInfo.InvariantCulture) && Trim(destination, ref length, '.', '0');

    public static bool TryFormat(decimal value, Span<byte> destination, out int length) =>
        value.TryFormat(destination, out length, provider: CultureInfo.InvariantCulture) && Trim(destination, ref length, (byte)'.', (byte)'0');

    private static bool Trim<T>(Span<T> text, ref int length, T point, T zero) where T : IEquatable<T>
    {
        var at = text[..length].IndexOf(point);
        if (at < 0)
        {
            if (length + 2 > text.Length)
            {
                return false;
            }
            text[length++] = point;
            text[length++] = zero;
            return true;
        }
        while (length > at + 2 && text[length - 1].Equals(zero))
        {
            length--;
        }
        return true;
    }
}
