using FinNet.Investors;
using FinNet.Network;

namespace FinNet.Tests.Investors;

public class PortfolioValuerTests
{
    private static readonly Portfolio TwoStocks = new("Inv9", "P9", "Test", true, 3m, [new Holding("AAA", 100m), new Holding("BBB", 50m)]);
    private static readonly DateOnly Monday = new(2024, 1, 8);

    [Fact]
    public void First_day_is_value_over_shares_rounded_to_six_places_with_no_change()
    {
        // 100 x 10.00 + 50 x 3.33 = 1166.50; / 3 = 388.8333333... -> 388.833333
        var nav = Value(TwoStocks, Monday, new Dictionary<string, decimal> { ["AAA"] = 10.00m, ["BBB"] = 3.33m }, null);

        Assert.Equal(1166.50m, nav.Value);
        Assert.Equal(388.833333m, nav.NavPerShare);
        Assert.Null(nav.Change);
        Assert.Null(nav.ChangePercent);
        Assert.Equal("Inv9_P9", nav.PortfolioKey);
    }

    [Fact]
    public void Change_is_the_difference_of_rounded_navs_and_percent_is_rounded_to_six_places()
    {
        var previous = new NavPoint(Monday, 388.833333m, null, null);

        // 100 x 10.10 + 50 x 3.30 = 1175; / 3 = 391.6666666... -> 391.666667
        // change 391.666667 - 388.833333 = 2.833334; percent 283.3334 / 388.833333 = 0.7286757 -> 0.728676
        var nav = Value(TwoStocks, Monday.AddDays(1), new Dictionary<string, decimal> { ["AAA"] = 10.10m, ["BBB"] = 3.30m }, previous);

        Assert.Equal(391.666667m, nav.NavPerShare);
        Assert.Equal(2.833334m, nav.Change);
        Assert.Equal(0.728676m, nav.ChangePercent);
    }

    [Theory]
    [InlineData("1.234565", "0.123456")] // 0.1234565: a tie, to the even 6
    [InlineData("1.234575", "0.123458")] // 0.1234575: a tie, to the even 8
    [InlineData("1.234566", "0.123457")]
    public void Nav_rounds_half_to_even(string price, string expected)
    {
        var portfolio = new Portfolio("Inv9", "P9", "Test", false, 10m, [new Holding("AAA", 1m)]);

        var nav = Value(portfolio, Monday, new Dictionary<string, decimal> { ["AAA"] = decimal.Parse(price) }, null);

        Assert.Equal(decimal.Parse(expected), nav.NavPerShare);
    }

    /// <summary>A portfolio valued on prices by ticker, as the valuer's two steps: the whole value, then the NAV.</summary>
    private static NavUpdate Value(Portfolio portfolio, DateOnly date, Dictionary<string, decimal> prices, NavPoint? previous) =>
        PortfolioValuer.Value(portfolio, date, PortfolioValuer.WholeValue(portfolio, prices), previous, previousValue: null);
}
