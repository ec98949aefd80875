using System.Globalization;

namespace FinNet.Analyst;

/// <summary>An inclusive range of dates, written <c>2020-01-01..2024-12-31</c>.</summary>
public sealed record DatePeriod(DateOnly From, DateOnly To)
{
    /// <summary>The original system's period for statistic (4).</summary>
    public static DatePeriod DefaultStatisticsPeriod { get; } = new(new DateOnly(2020, 1, 1), new DateOnly(2024, 12, 31));

    public bool Contains(DateOnly date) => date >= From && date <= To;

    public override string ToString() => $"{From:yyyy-MM-dd}..{To:yyyy-MM-dd}";

    public static DatePeriod Parse(string text, string option)
    {
        var parts = text.Split("..");
        if (parts.Length != 2
            || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
            throw new InvalidInputException($"{option}: '{text}' is not a period; write FROM..TO, e.g. 2020-01-01..2024-12-31");
        if (from > to)
            throw new InvalidInputException($"{option}: {from:yyyy-MM-dd} is after {to:yyyy-MM-dd}");
        return new DatePeriod(from, to);
    }
}
