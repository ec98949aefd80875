using System.Globalization;
using System.Text;
using FinNet.Investors;

namespace FinNet.Storage.Sqlite;

/// <summary>
/// The SQLite store's text columns, written and read back: ISO dates and plain decimal text (<c>-123.456789</c>).
/// The recorder writes them straight into UTF-8 buffers; the fast read paths parse the exact shapes FinNet writes, straight from SQLite's UTF-8 bytes, with no string or culture lookup
/// (reading NAV series is the analyst's hot loop); anything else falls back to the general parsers, which also
/// report bad text.
/// </summary>
internal static class SqliteText
{
    /// <summary>How every stored decimal is written: plain, exactly 6 places (the MySQL store's DECIMAL(20,6)).</summary>
    private const string DecimalFormat = "F6";

    /// <summary>Writes <paramref name="value"/> as <see cref="DecimalFormat"/> into <paramref name="utf8"/> (at least 48 bytes); returns the length.</summary>
    public static int FormatDecimal(decimal value, Span<byte> utf8)
    {
        if (!value.TryFormat(utf8, out var length, DecimalFormat, CultureInfo.InvariantCulture))
            throw new ArgumentException("a decimal needs at most 48 bytes", nameof(utf8));
        return length;
    }

    /// <summary>Writes <paramref name="date"/> as an ISO date (<c>yyyy-MM-dd</c>) into <paramref name="utf8"/>; returns the length, 10.</summary>
    public static int FormatDate(DateOnly date, Span<byte> utf8)
    {
        // The standard round-trip format ("O", yyyy-MM-dd for a DateOnly): a custom format string is parsed on every call.
        if (!date.TryFormat(utf8, out var length, "O", CultureInfo.InvariantCulture))
            throw new ArgumentException("a date needs 10 bytes", nameof(utf8));
        return length;
    }

    public static DateOnly ParseDate(string text) => ParseDate(Encoding.UTF8.GetBytes(text));

    public static decimal ParseDecimal(string text) => ParseDecimal(Encoding.UTF8.GetBytes(text));

    public static DateOnly ParseDate(ReadOnlySpan<byte> text)
    {
        if (text.Length == 10 && text[4] == '-' && text[7] == '-'
            && Digits(text[..4], out var year) && Digits(text.Slice(5, 2), out var month) && Digits(text.Slice(8, 2), out var day)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            return new DateOnly(year, month, day);
        }
        return DateOnly.ParseExact(Encoding.UTF8.GetString(text), "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>An optional '-', digits, optionally '.' and digits; up to 18 digits in all (a long mantissa).</summary>
    public static decimal ParseDecimal(ReadOnlySpan<byte> text)
    {
        var negative = text.Length > 0 && text[0] == '-';
        var (mantissa, digits, scale, seenPoint) = (0L, 0, 0, false);
        for (var i = negative ? 1 : 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }
            if (c is < (byte)'0' or > (byte)'9' || ++digits > 18)
                return Slow(text);
            mantissa = (mantissa * 10) + (c - '0');
            if (seenPoint)
                scale++;
        }
        return digits == 0 ? Slow(text) : new decimal((int)(mantissa & 0xFFFFFFFF), (int)(mantissa >> 32), 0, negative, (byte)scale);
    }

    /// <summary><c>AsOf,NAVperShare,DailyNAVChange,DailyNAVChangePercent</c>, the last two empty for NULL.</summary>
    public static NavPoint ParseNavRow(ReadOnlySpan<byte> row)
    {
        var first = row.IndexOf((byte)',');
        var rest = row[(first + 1)..];
        var second = rest.IndexOf((byte)',');
        var tail = rest[(second + 1)..];
        var third = tail.IndexOf((byte)',');
        if (first < 0 || second < 0 || third < 0)
            throw new FormatException($"not a NAV row: '{Encoding.UTF8.GetString(row)}'");
        var change = tail[..third];
        var percent = tail[(third + 1)..];
        return new NavPoint(
            ParseDate(row[..first]),
            ParseDecimal(rest[..second]),
            change.IsEmpty ? null : ParseDecimal(change),
            percent.IsEmpty ? null : ParseDecimal(percent));
    }

    private static decimal Slow(ReadOnlySpan<byte> text) =>
        decimal.Parse(Encoding.UTF8.GetString(text), NumberStyles.Number, CultureInfo.InvariantCulture);

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9')
                return false;
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}
