using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;

namespace FinNet.Tests.Messaging;

/// <summary>What a valid price and a valid NAV are for the default network (docs/wire-format.md, "Valid messages").</summary>
public class MessageRulesTests
{
    private static readonly MessageRules Rules = new(NetworkFile.LoadDefault());
    private static readonly DateOnly Tuesday = new(2024, 1, 9);

    /// <summary>A NAV of Inv1_P11 (12,200 shares) whose NAV per share follows from its value.</summary>
    private static NavUpdate Nav(DateOnly date, decimal value) =>
        new("Inv1", "P11", date, value, 12_200m, PortfolioValuer.Round(value / 12_200m), null, null);

    [Fact]
    public void The_exchanges_own_prices_and_the_investors_own_navs_are_valid()
    {
        Assert.Null(Rules.PriceProblem(new PriceQuote("IBM", Tuesday, 928.05m, "SE1")));
        Assert.Null(Rules.NavProblem(Nav(Tuesday, 3_236_540m)));
    }

    [Theory]
    [InlineData("NOPE", "2024-01-09", "50", "SE1", "unknown ticker 'NOPE'")]
    [InlineData("IBM'; DROP TABLE StockPrices; --", "2024-01-09", "50", "SE1", "unknown ticker 'IBM'; DROP TABLE StockPrices; --'")]
    [InlineData("IBM", "2024-01-09", "50", "NOPE", "IBM is listed on SE1, not on 'NOPE'")]
    [InlineData("IBM", "2024-01-09", "50", "SE2", "IBM is listed on SE1, not on 'SE2'")]
    [InlineData("IBM", "1999-01-04", "50", "SE1", "date 1999-01-04 is outside 2000-01-01..2199-12-31")]
    [InlineData("IBM", "2200-01-02", "50", "SE1", "date 2200-01-02 is outside 2000-01-01..2199-12-31")]
    [InlineData("IBM", "2024-01-06", "50", "SE1", "2024-01-06 is not a trading day of SE1")] // a Saturday
    [InlineData("IBM", "2024-12-25", "50", "SE1", "2024-12-25 is not a trading day of SE1")] // a holiday
    [InlineData("IBM", "2024-01-09", "0", "SE1", "PRICE 0 is not positive")]
    [InlineData("IBM", "2024-01-09", "100000000000000", "SE1", "PRICE 100000000000000 is not below 100000000000000 (the stores' DECIMAL(20,6))")]
    public void Prices_that_break_a_rule_are_refused_with_the_rule(string ticker, string date, string price, string exchange, string problem) =>
        Assert.Equal(problem, Rules.PriceProblem(new PriceQuote(ticker, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), exchange)));

    [Fact]
    public void Navs_that_break_a_rule_are_refused_with_the_rule()
    {
        Assert.Equal("unknown portfolio 'Inv9_P99'", Rules.NavProblem(Nav(Tuesday, 100m) with { InvestorId = "Inv9", PortfolioId = "P99" }));
        Assert.Equal("unknown portfolio 'Inv1_P21'", Rules.NavProblem(Nav(Tuesday, 100m) with { PortfolioId = "P21" })); // P21 is Inv2's
        Assert.Equal("2030-01-01 is not a trading day of Inv1_P11's exchanges", Rules.NavProblem(Nav(new DateOnly(2030, 1, 1), 100m)));
        Assert.Equal("date 1999-12-31 is outside 2000-01-01..2199-12-31", Rules.NavProblem(Nav(new DateOnly(1999, 12, 31), 100m)));
        Assert.Equal("value -100 is not positive", Rules.NavProblem(Nav(Tuesday, -100m)));
        Assert.Equal("shares_outstanding 100 is not Inv1_P11's 12200", Rules.NavProblem(Nav(Tuesday, 1000m) with { SharesOutstanding = 100m, NavPerShare = 10m }));
        // 1,000,000 / 12,200 = 81.967213 (half-even); a producer that says otherwise is refused.
        Assert.Equal("nav_per_share 82 is not value / shares = 81.967213", Rules.NavProblem(Nav(Tuesday, 1_000_000m) with { NavPerShare = 82m }));
    }
}
