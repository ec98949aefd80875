using FinNet.Network;

namespace FinNet.Tests.Network;

public class TradingCalendarTests
{
    private static readonly TradingCalendar Calendar = TradingCalendar.Default;

    [Fact]
    public void History_starts_on_monday_3_january_2000()
    {
        // 1 Jan 2000 was a Saturday (and a holiday), 2 Jan a Sunday.
        Assert.Equal(new DateOnly(2000, 1, 3), Calendar.OnOrAfter(new DateOnly(2000, 1, 1)));
    }

    [Theory]
    [InlineData(2024, 1, 1, false)]   // holiday, Monday
    [InlineData(2024, 1, 2, true)]
    [InlineData(2024, 1, 6, false)]   // holiday and Saturday
    [InlineData(2024, 1, 8, true)]
    [InlineData(2024, 3, 25, false)]  // holiday, Monday
    [InlineData(2024, 5, 1, false)]
    [InlineData(2024, 8, 15, false)]
    [InlineData(2024, 10, 28, false)]
    [InlineData(2024, 12, 25, false)]
    [InlineData(2024, 12, 26, false)]
    [InlineData(2024, 12, 27, true)]
    [InlineData(2024, 12, 28, false)] // Saturday
    [InlineData(2024, 12, 29, false)] // Sunday
    public void Trading_days_are_weekdays_that_are_not_holidays(int year, int month, int day, bool trading)
    {
        Assert.Equal(trading, Calendar.IsTradingDay(new DateOnly(year, month, day)));
    }

    [Fact]
    public void January_2024_has_22_trading_days()
    {
        // 23 weekdays (the month starts on a Monday and has 31 days), less New Year's Day; 6 Jan is a Saturday.
        var days = Calendar.TradingDays(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)).ToList();

        Assert.Equal(22, days.Count);
        Assert.Equal(new DateOnly(2024, 1, 2), days[0]);
        Assert.Equal(new DateOnly(2024, 1, 31), days[^1]);
    }
}
