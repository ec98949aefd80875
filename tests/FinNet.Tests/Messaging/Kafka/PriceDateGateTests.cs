using FinNet.Exchanges;
using FinNet.Messaging.Kafka;

namespace FinNet.Tests.Messaging.Kafka;

/// <summary>Trading days out of prices interleaved across partitions, by the end-of-day markers.</summary>
public class PriceDateGateTests
{
    private static readonly DateOnly Mon = new(2024, 1, 8);
    private static readonly DateOnly Tue = new(2024, 1, 9);

    private static PriceQuote P(string ticker, DateOnly date, string exchange = "SE1") => new(ticker, date, 10m, exchange);

    [Fact]
    public void A_date_is_released_only_when_every_partition_has_its_marker_and_its_prices()
    {
        var gate = new PriceDateGate(["SE1"], partitions: 2);

        gate.AddPrice(P("IBM", Mon), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 1, false));
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 1, 2, false));
        gate.AddPrice(P("AAPL", Mon), 1);
        Assert.Empty(gate.Release()); // partition 1 was promised two prices, has one

        gate.AddPrice(P("MSFT", Mon), 1);
        var days = gate.Release();

        Assert.Equal(["AAPL", "IBM", "MSFT"], Assert.Single(days).Select(p => p.Ticker));
    }

    [Fact]
    public void Later_dates_wait_for_earlier_ones_and_come_out_in_date_order()
    {
        var gate = new PriceDateGate(["SE1"], partitions: 2);
        // Partition 1 runs ahead: its Monday and Tuesday (prices, markers) arrive before partition 0's Monday.
        gate.AddPrice(P("AAPL", Mon), 1);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 1, 1, false));
        gate.AddPrice(P("AAPL", Tue), 1);
        gate.AddMarker(new EndOfDayMarker("SE1", Tue, 1, 1, false));
        Assert.Empty(gate.Release());

        gate.AddPrice(P("IBM", Mon), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 1, false));
        var monday = gate.Release();
        gate.AddPrice(P("IBM", Tue), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Tue, 0, 1, false));
        var tuesday = gate.Release();

        Assert.Equal([["AAPL", "IBM"]], monday.Select(day => day.Select(p => p.Ticker)));
        Assert.Equal([Tue], tuesday.Select(day => day[0].Date));
    }

    [Fact]
    public void An_exchange_that_marked_a_later_date_everywhere_was_closed_and_is_not_waited_for()
    {
        var gate = new PriceDateGate(["SE1", "SE2"], partitions: 1);
        gate.AddPrice(P("IBM", Mon), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 1, false));
        Assert.Empty(gate.Release()); // SE2 has said nothing about Monday yet

        gate.AddPrice(P("VZ", Tue, "SE2"), 0);
        gate.AddMarker(new EndOfDayMarker("SE2", Tue, 0, 1, false)); // SE2's first day is Tuesday: closed on Monday

        Assert.Equal(["IBM"], Assert.Single(gate.Release()).Select(p => p.Ticker));
    }

    [Fact]
    public void Redelivered_copies_and_other_exchanges_change_nothing()
    {
        var gate = new PriceDateGate(["SE1"], partitions: 1);
        gate.AddPrice(P("IBM", Mon), 0);
        gate.AddPrice(P("IBM", Mon), 0); // a duplicate does not count as the second price
        gate.AddPrice(P("VZ", Mon, "SE2"), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 2, false));
        Assert.Empty(gate.Release());

        gate.AddPrice(P("AAPL", Mon), 0);
        var day = Assert.Single(gate.Release());
        gate.AddPrice(P("IBM", Mon), 0); // after release: ignored
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 2, false));

        Assert.Equal(["AAPL", "IBM"], day.Select(p => p.Ticker));
        Assert.Empty(gate.Release());
        Assert.Equal(0, gate.PendingDates);
    }
}
