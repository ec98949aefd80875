namespace FinNet.Network;

/// <summary>
/// Which days an exchange trades: weekdays that are not holidays. Each exchange has its own calendar, so a
/// real exchange calendar can be added here (a new named instance) without touching exchanges or investors.
/// </summary>
public sealed class TradingCalendar
{
    private readonly HashSet<(int Month, int Day)> _annualHolidays;

    public TradingCalendar(string name, IEnumerable<(int Month, int Day)> annualHolidays)
    {
        Name = name;
        _annualHolidays = [.. annualHolidays];
    }

    /// <summary>
    /// The default calendar: the same holidays every year, 1 Jan, 6 Jan, 25 Mar, 1 May, 15 Aug, 28 Oct, 25 and 26 Dec.
    /// </summary>
    public static TradingCalendar Default { get; } =
        new("default", [(1, 1), (1, 6), (3, 25), (5, 1), (8, 15), (10, 28), (12, 25), (12, 26)]);

    /// <summary>Calendars a network file can name.</summary>
    public static IReadOnlyList<TradingCalendar> Known { get; } = [Default];

    public string Name { get; }

    public static TradingCalendar? Find(string name) => Known.FirstOrDefault(c => c.Name == name);

    public bool IsTradingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_annualHolidays.Contains((date.Month, date.Day));

    /// <summary>The first trading day on or after <paramref name="date"/>.</summary>
    public DateOnly OnOrAfter(DateOnly date)
    {
        while (!IsTradingDay(date))
            date = date.AddDays(1);
        return date;
    }

    /// <summary>The trading days from <paramref name="from"/> to <paramref name="to"/>, both inclusive, ascending.</summary>
    public IEnumerable<DateOnly> TradingDays(DateOnly from, DateOnly to)
    {
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            if (IsTradingDay(date))
                yield return date;
        }
    }
}
