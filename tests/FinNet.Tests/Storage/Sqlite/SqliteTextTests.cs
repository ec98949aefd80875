using System.Globalization;
using System.Text;
using FinNet.Storage.Sqlite;

namespace FinNet.Tests.Storage.Sqlite;

/// <summary>The store's text, written straight to UTF-8 by the recorder: the same digits .NET's own formatting gives.</summary>
public class SqliteTextTests
{
    [Theory]
    [InlineData("0", "0.000000")]
    [InlineData("-0.000000", "0.000000")]                // a negative zero has no sign
    [InlineData("-0.000000000001", "0.000000")]          // nor does what rounds to zero
    [InlineData("1542.77", "1542.770000")]               // a short scale is padded to 6 places
    [InlineData("-123.4567885", "-123.456789")]          // beyond 6 places: half away from zero, as "0.000000" rounds
    [InlineData("0.0000005", "0.000001")]
    [InlineData("99999999999999.999999", "99999999999999.999999")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335.000000")]
    public void A_decimal_is_written_plain_with_six_places(string value, string expected)
    {
        var number = decimal.Parse(value, CultureInfo.InvariantCulture);
        var utf8 = new byte[64];

        var text = Encoding.UTF8.GetString(utf8, 0, SqliteText.FormatDecimal(number, utf8));

        Assert.Equal(expected, text);
        Assert.Equal(number.ToString("0.000000", CultureInfo.InvariantCulture), text); // what the store wrote before
    }

    [Fact]
    public void Random_decimals_are_written_as_the_custom_format_writes_them_and_read_back_exactly()
    {
        var random = new Random(42);
        var utf8 = new byte[64];
        for (var i = 0; i < 10_000; i++)
        {
            var number = new decimal(random.Next(), random.Next(0, 1000), 0, random.Next(2) == 0, (byte)random.Next(0, 13));
            var text = Encoding.UTF8.GetString(utf8, 0, SqliteText.FormatDecimal(number, utf8));
            Assert.Equal(number.ToString("0.000000", CultureInfo.InvariantCulture), text);
            Assert.Equal(Math.Round(number, 6, MidpointRounding.AwayFromZero), SqliteText.ParseDecimal(text));
        }
    }

    [Theory]
    [InlineData(2000, 1, 3)]
    [InlineData(2026, 11, 24)]
    [InlineData(1, 1, 1)]
    [InlineData(9999, 12, 31)]
    public void A_date_is_written_as_an_iso_date(int year, int month, int day)
    {
        var date = new DateOnly(year, month, day);
        var utf8 = new byte[16];

        var length = SqliteText.FormatDate(date, utf8);

        Assert.Equal(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Encoding.UTF8.GetString(utf8, 0, length));
        Assert.Equal(date, SqliteText.ParseDate(utf8.AsSpan(0, length)));
    }
}
