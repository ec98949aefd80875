using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace FinNet.Tests.Investors;

public class InvestorServiceTests
{
    // P1 holds one stock of each exchange; P2 only the SE1 one.
    private static readonly Investor Investor = new("Inv9", "Test", "Here",
    [
        new Portfolio("Inv9", "P1", "Both", true, 10m, [new Holding("AAA", 10m), new Holding("BBB", 20m)]),
        new Portfolio("Inv9", "P2", "One", false, 5m, [new Holding("AAA", 5m)]),
    ]);

    private static readonly DateOnly Day1 = new(2024, 1, 2);
    private static readonly DateOnly Day2 = new(2024, 1, 3);
    private static readonly DateOnly Day3 = new(2024, 1, 4);

    private static PriceQuote A(DateOnly date, decimal price) => new("AAA", date, price, "SE1");

    private static PriceQuote B(DateOnly date, decimal price) => new("BBB", date, price, "SE2");

    private static InvestorService Create(Dictionary<string, NavPoint>? lastNavs = null) =>
        new(Investor, lastNavs ?? [], NullLogger.Instance);

    [Fact]
    public void A_portfolio_is_valued_once_every_stock_it_holds_has_a_price()
    {
        var investor = Create();

        var afterA = investor.Accept([A(Day1, 10m), new PriceQuote("ZZZ", Day1, 1m, "SE1")]);
        var afterB = investor.Accept([B(Day1, 2m)]);

        // P2 needs only AAA: 5 x 10 / 5 = 10. P1 waits for BBB: (10 x 10 + 20 x 2) / 10 = 14.
        Assert.Equal([("Inv9_P2", Day1, 10m)], afterA.Select(n => (n.PortfolioKey, n.Date, n.NavPerShare)));
        Assert.Equal([("Inv9_P1", Day1, 14m)], afterB.Select(n => (n.PortfolioKey, n.Date, n.NavPerShare)));
        Assert.All(afterA.Concat(afterB), n => Assert.Null(n.Change));
    }

    [Fact]
    public void Next_day_changes_against_the_previous_valued_day_and_redelivery_changes_nothing()
    {
        var investor = Create();
        investor.Accept([A(Day1, 10m), B(Day1, 2m)]);

        var day2 = investor.Accept([A(Day2, 11m), B(Day2, 2m), A(Day2, 11m)]);
        var again = investor.Accept([A(Day2, 11m), B(Day2, 2m)]);

        var p1 = day2.Single(n => n.PortfolioId == "P1");
        Assert.Equal(15m, p1.NavPerShare);           // (110 + 40) / 10
        Assert.Equal(1m, p1.Change);                 // 15 - 14
        Assert.Equal(7.142857m, p1.ChangePercent);   // 100 / 14 = 7.1428571...
        Assert.Equal(2, day2.Count);
        Assert.Empty(again);
        Assert.Equal(4, investor.NavsPublished);
    }

    [Fact]
    public void A_restarted_investor_continues_from_its_stored_navs()
    {
        var investor = Create(new Dictionary<string, NavPoint>
        {
            ["Inv9_P1"] = new(Day1, 14m, null, null),
            ["Inv9_P2"] = new(Day1, 10m, null, null),
        });

        var replayed = investor.Accept([A(Day1, 10m), B(Day1, 2m)]);
        var day2 = investor.Accept([A(Day2, 12m), B(Day2, 2m)]);

        Assert.Empty(replayed);
        Assert.Equal([(16m, 2m), (12m, 2m)], day2.Select(n => (n.NavPerShare, n.Change!.Value)));
    }

    [Fact]
    public void A_date_one_exchange_skipped_is_dropped_once_a_later_date_completes()
    {
        var investor = Create();
        investor.Accept([A(Day1, 10m), B(Day1, 2m)]);

        // SE2 is closed on Day2: it publishes Day3 next.
        var day2 = investor.Accept([A(Day2, 11m)]);
        var day3 = investor.Accept([B(Day3, 3m), A(Day3, 12m)]);

        Assert.Equal([("Inv9_P2", Day2)], day2.Select(n => (n.PortfolioKey, n.Date)));
        var p1 = day3.Single(n => n.PortfolioId == "P1");
        Assert.Equal(Day3, p1.Date);
        Assert.Equal(18m - 14m, p1.Change); // (120 + 60) / 10 = 18, against Day1's 14
        Assert.DoesNotContain(day3, n => n.Date == Day2);
    }
}
