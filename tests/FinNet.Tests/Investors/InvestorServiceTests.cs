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

    [Fact]
    public void Of_two_prices_for_one_stock_and_date_the_first_is_valued_as_the_store_keeps_it()
    {
        var investor = Create();

        // A stray AAA price arrives before the exchange's own (one partition, no gate): the first stands.
        var navs = investor.Accept([A(Day1, 1m), A(Day1, 10m), B(Day1, 2m)]);

        // P2: 5 x 1 / 5 = 1, not 5 x 10 / 5 = 10; P1: (10 x 1 + 20 x 2) / 10 = 5.
        Assert.Equal([("Inv9_P1", 5m), ("Inv9_P2", 1m)], navs.Select(n => (n.PortfolioKey, n.NavPerShare)).Order());
    }

    [Fact]
    public void The_whole_change_on_the_wire_is_the_difference_of_the_values()
    {
        var investor = Create();
        investor.Accept([A(Day1, 10.01m), B(Day1, 2.03m)]);

        var day2 = investor.Accept([A(Day2, 10.37m), B(Day2, 1.99m)]).Single(n => n.PortfolioId == "P1");
        var wire = System.Text.Json.Nodes.JsonNode.Parse(FinNet.Messaging.Kafka.KafkaWire.Nav(day2))!;

        // P1 = 10 AAA + 20 BBB: 10 x 10.01 + 20 x 2.03 = 140.70, then 10 x 10.37 + 20 x 1.99 = 143.50.
        Assert.Equal(143.50m, wire["value"]!.GetValue<decimal>());
        Assert.Equal(2.80m, wire["change"]!.GetValue<decimal>());
        // 2.80 x 100 / 140.70 = 1.99004975... -> 1.990050; per share: 14.35 - 14.07 = 0.28, 0.28 x 100 / 14.07 = 1.990050 too.
        Assert.Equal(1.990050m, wire["change_pct"]!.GetValue<decimal>());
        Assert.Equal(0.28m, wire["nav_change"]!.GetValue<decimal>());
    }

    [Fact]
    public void A_resumed_investor_takes_the_first_whole_change_against_the_value_it_was_given()
    {
        var investor = new InvestorService(Investor, new Dictionary<string, NavPoint> { ["Inv9_P2"] = new(Day1, 10m, null, null) }, NullLogger.Instance,
            new Dictionary<string, decimal> { ["Inv9_P2"] = 50m });

        var nav = investor.Accept([A(Day2, 10.5m)]).Single();

        // P2 = 5 AAA: 52.50 against 50 the day before.
        Assert.Equal((52.50m, 50m), (nav.Value, nav.PreviousValue!.Value));
        Assert.Equal(2.50m, System.Text.Json.Nodes.JsonNode.Parse(FinNet.Messaging.Kafka.KafkaWire.Nav(nav))!["change"]!.GetValue<decimal>());
    }

    [Fact]
    public void A_day_read_by_listing_position_gives_the_navs_a_day_searched_by_ticker_gives()
    {
        // Two exchanges of the shape the investor's portfolios hold, with stocks it does not hold in between.
        var se1 = new Exchange("SE1", TradingCalendar.Default, [new Stock("XXX", "SE1", 1m), new Stock("AAA", "SE1", 1m), new Stock("YYY", "SE1", 1m)]);
        var se2 = new Exchange("SE2", TradingCalendar.Default, [new Stock("BBB", "SE2", 1m)]);
        var network = new InvestmentNetwork([se1, se2], [Investor], "test");
        var byPosition = new InvestorService(Investor, new Dictionary<string, NavPoint>(), NullLogger.Instance, network: network);
        var byTicker = Create();

        var days = new[] { Day1, Day2, Day3 }.SelectMany(date => new[]
        {
            new ListedCloses(se1, [new PriceQuote("XXX", date, 7m, "SE1"), A(date, 10m + date.Day), new PriceQuote("YYY", date, 9m, "SE1")]),
            new ListedCloses(se2, [B(date, 2m * date.Day)]),
        }).ToList();
        var listed = days.SelectMany(byPosition.Accept).ToList();
        var searched = days.SelectMany(day => byTicker.Accept(day.ToList())).ToList();

        Assert.Equal(6, listed.Count);
        Assert.Equal(searched, listed);
        Assert.Equal(byTicker.PeakPendingPrices, byPosition.PeakPendingPrices);
        // Day 3: P1 = (10 x 14 + 20 x 8) / 10 = 30; P2 = 5 x 14 / 5 = 14.
        Assert.Equal([30m, 14m], listed.Where(n => n.Date == Day3).OrderBy(n => n.PortfolioId).Select(n => n.NavPerShare));
    }

    [Fact]
    public void A_listed_day_must_be_one_date_of_every_listed_stock_in_listing_order()
    {
        var se1 = new Exchange("SE1", TradingCalendar.Default, [new Stock("AAA", "SE1", 1m), new Stock("XXX", "SE1", 1m)]);

        Assert.Throws<ArgumentException>(() => new ListedCloses(se1, [A(Day1, 1m)]));
        Assert.Throws<ArgumentException>(() => new ListedCloses(se1, [new PriceQuote("XXX", Day1, 1m, "SE1"), A(Day1, 1m)]));
        Assert.Throws<ArgumentException>(() => new ListedCloses(se1, [A(Day1, 1m), new PriceQuote("XXX", Day2, 1m, "SE1")]));
        Assert.Equal(2, new ListedCloses(se1, [A(Day1, 1m), new PriceQuote("XXX", Day1, 1m, "SE1")]).Count);
    }
}
