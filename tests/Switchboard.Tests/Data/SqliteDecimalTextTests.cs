using System.Globalization;
using System.Text;
using Switchboard.Data;

namespace Switchboard.Tests.Data;

/// <summary>The trimmed default form is, character for character, the custom format Microsoft.Data.Sqlite writes.</summary>
public sealed class SqliteDecimalTextTests
{
    private const string MicrosoftDataSqliteForm = "0.0###########################";

    public static TheoryData<decimal> Edges =>
    [
        0m, new decimal(0, 0, 0, isNegative: true, scale: 0), new decimal(0, 0, 0, isNegative: true, scale: 5), 0.000m,
        1m, -1m, 1.10m, 100m, 100.00100m, 0.0000000000000000000000000001m, -0.0000000000000000000000000001m,
        decimal.MaxValue, decimal.MinValue, 79228162514264.337593543950335m, 0.000123456789012345678m, 1_000_000m,
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void An_edge_value_is_written_as_Microsoft_Data_Sqlite_writes_it(decimal value) => AssertSameForm(value);

    [Fact]
    public void Random_values_of_every_scale_and_sign_are_written_as_Microsoft_Data_Sqlite_writes_them()
    {
        var random = new Random(20261207);
        for (var i = 0; i < 100_000; i++)
        {
            var value = new decimal(random.Next(), random.Next(), random.Next(4) == 0 ? random.Next() : random.Next(0, 3),
                isNegative: random.Next(2) == 0, scale: (byte)random.Next(29));
            AssertSameForm(value);
        }
    }

    [Fact]
    public void A_destination_too_small_for_the_form_is_refused()
    {
        Assert.False(SqliteDecimalText.TryFormat(12345m, new char[6], out _)); // "12345.0" needs 7
        Assert.False(SqliteDecimalText.TryFormat(12345m, new byte[6], out _));
        Assert.True(SqliteDecimalText.TryFormat(12345m, new char[7], out var length));
        Assert.Equal(7, length);
    }

    private static void AssertSameForm(decimal value)
    {
        var expected = value.ToString(MicrosoftDataSqliteForm, CultureInfo.InvariantCulture);
        Span<char> chars = stackalloc char[64];
        Assert.True(SqliteDecimalText.TryFormat(value, chars, out var length));
        Assert.Equal(expected, chars[..length].ToString());
        Span<byte> bytes = stackalloc byte[64];
        Assert.True(SqliteDecimalText.TryFormat(value, bytes, out length));
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes[..length]));
    }
}
