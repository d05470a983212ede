using System.Globalization;
using System.Text;
using Switchboard.Data;

namespace Switchboard.Tests.Data;

/// <summary>The trimmed default form is, character for character, the custom format Microsoft.Data.Sqlite writes.</summary>
public sealed class SqliteDecimalTextTests
{
    private const string MicrosoftDataSqliteForm = "0.0###########################";

    /// <summary>Named, because xUnit tells values apart by their text: 0, negative zero and 0.000 would all be "0".</summary>
    public static TheoryData<string, decimal> Edges => new()
    {
        { "zero", 0m },
        { "negative zero", new decimal(0, 0, 0, isNegative: true, scale: 0) },
        { "negative zero, scale 5", new decimal(0, 0, 0, isNegative: true, scale: 5) },
        { "zero, scale 3", 0.000m },
        { "one", 1m },
        { "minus one", -1m },
        { "trailing zero", 1.10m },
        { "integer with zeros", 100m },
        { "zeros inside and after", 100.00100m },
        { "smallest", 0.0000000000000000000000000001m },
        { "smallest negative", -0.0000000000000000000000000001m },
        { "max", decimal.MaxValue },
        { "min", decimal.MinValue },
        { "max, scale 15", 79228162514264.337593543950335m },
        { "21 fractional digits", 0.000123456789012345678m },
        { "a million", 1_000_000m },
    };

    [Theory]
    [MemberData(nameof(Edges))]
#pragma warning disable xUnit1026 // the edge's name is for the test's identity and its report, not for the test
    public void An_edge_value_is_written_as_Microsoft_Data_Sqlite_writes_it(string edge, decimal value) => AssertSameForm(value);
#pragma warning restore xUnit1026

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
