using FinNet.Analyst;

namespace FinNet.Tests.Analyst;

/// <summary>The charts' date axes: ticks that fit the range, each label once.</summary>
public class ReportChartsTests
{
    [Theory]
    [InlineData("2024-01-02", "2024-01-31", "2024-01-02,2024-01-07,2024-01-12,2024-01-17,2024-01-22,2024-01-27")] // 29 days: every 5th
    [InlineData("2024-03-01", "2024-03-05", "2024-03-01,2024-03-02,2024-03-03,2024-03-04,2024-03-05")]
    [InlineData("2024-03-01", "2024-04-30", "2024-03-01,2024-03-08,2024-03-15,2024-03-22,2024-03-29,2024-04-05,2024-04-12,2024-04-19,2024-04-26")] // 60 days: weekly
    [InlineData("2023-01-02", "2024-12-31", "2023-04,2023-07,2023-10,2024-01,2024-04,2024-07,2024-10")] // two years: quarters
    [InlineData("2000-01-03", "2026-12-03", "2005,2010,2015,2020,2025")]
    [InlineData("2000-01-01", "2004-12-31", "2000,2001,2002,2003,2004")]
    public void Date_ticks_fit_the_range_and_each_label_is_shown_once(string first, string last, string expected)
    {
        var ticks = ReportCharts.DateTicks(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, string.Join(',', ticks.Select(t => t.Label)));
        Assert.Equal(ticks.Count, ticks.Select(t => t.Label).Distinct().Count());
    }

    [Fact]
    public void A_long_name_is_cut_with_an_ellipsis()
    {
        Assert.Equal("Alpha Tech Growth", ReportCharts.Shorten("Alpha Tech Growth", 48));
        Assert.Equal("Alpha Tech Growth and…", ReportCharts.Shorten("Alpha Tech Growth and Income Fund", 23));
    }
}
