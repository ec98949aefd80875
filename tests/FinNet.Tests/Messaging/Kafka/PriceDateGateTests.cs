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
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 1, false), offset: 101);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 1, 2, false), offset: 102);
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
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 1, 1, false), offset: 103);
        gate.AddPrice(P("AAPL", Tue), 1);
        gate.AddMarker(new EndOfDayMarker("SE1", Tue, 1, 1, false), offset: 104);
        Assert.Empty(gate.Release());

        gate.AddPrice(P("IBM", Mon), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 1, false), offset: 105);
        var monday = gate.Release();
        gate.AddPrice(P("IBM", Tue), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Tue, 0, 1, false), offset: 106);
        var tuesday = gate.Release();

        Assert.Equal([["AAPL", "IBM"]], monday.Select(day => day.Select(p => p.Ticker)));
        Assert.Equal([Tue], tuesday.Select(day => day[0].Date));
    }

    [Fact]
    public void An_exchange_that_marked_a_later_date_everywhere_was_closed_and_is_not_waited_for()
    {
        var gate = new PriceDateGate(["SE1", "SE2"], partitions: 1);
        gate.AddPrice(P("IBM", Mon), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 1, false), offset: 107);
        Assert.Empty(gate.Release()); // SE2 has said nothing about Monday yet

        gate.AddPrice(P("VZ", Tue, "SE2"), 0);
        gate.AddMarker(new EndOfDayMarker("SE2", Tue, 0, 1, false), offset: 108); // SE2's first day is Tuesday: closed on Monday

        Assert.Equal(["IBM"], Assert.Single(gate.Release()).Select(p => p.Ticker));
    }

    [Fact]
    public void Redelivered_copies_and_other_exchanges_change_nothing()
    {
        var gate = new PriceDateGate(["SE1"], partitions: 1);
        gate.AddPrice(P("IBM", Mon), 0);
        gate.AddPrice(P("IBM", Mon), 0); // a duplicate does not count as the second price
        gate.AddPrice(P("VZ", Mon, "SE2"), 0);
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 2, false), offset: 109);
        Assert.Empty(gate.Release());

        gate.AddPrice(P("AAPL", Mon), 0);
        var day = Assert.Single(gate.Release());
        gate.AddPrice(P("IBM", Mon), 0); // after release: ignored
        gate.AddMarker(new EndOfDayMarker("SE1", Mon, 0, 2, false), offset: 110);

        Assert.Equal(["AAPL", "IBM"], day.Select(p => p.Ticker));
        Assert.Empty(gate.Release());
        Assert.Equal(0, gate.PendingDates);
    }

    /// <summary>
    /// Two partitions' logs: SE1 (A on 0, B on 1) and SE2 (C on 0), SE2 a day behind SE1 and closed on the third
    /// day, so the partitions interleave the exchanges' days; an identical re-delivered price on partition 1.
    /// </summary>
    private static List<(PriceQuote? Price, EndOfDayMarker? Marker)>[] Logs()
    {
        var days = Enumerable.Range(0, 6).Select(i => Mon.AddDays(i)).ToArray();
        var logs = new[] { new List<(PriceQuote?, EndOfDayMarker?)>(), new List<(PriceQuote?, EndOfDayMarker?)>() };
        void Se1(DateOnly day)
        {
            logs[0].Add((P("A", day), null));
            logs[1].Add((P("B", day), null));
            logs[0].Add((null, new EndOfDayMarker("SE1", day, 0, 1, false)));
            logs[1].Add((null, new EndOfDayMarker("SE1", day, 1, 1, false)));
        }
        void Se2(DateOnly day)
        {
            logs[0].Add((P("C", day, "SE2"), null));
            logs[0].Add((null, new EndOfDayMarker("SE2", day, 0, 1, false)));
            logs[1].Add((null, new EndOfDayMarker("SE2", day, 1, 0, false)));
        }
        for (var i = 0; i < days.Length; i++)
        {
            Se1(days[i]);
            if (i == 3)
                logs[1].Add((P("B", days[i]), null)); // re-delivered
            if (i >= 1 && i - 1 != 2)
                Se2(days[i - 1]);
        }
        return logs;
    }

    /// <summary>Feeds the logs from the given offsets, one message of each partition in turn; returns what was released, in order.</summary>
    private static List<DateOnly> Feed(PriceDateGate gate, List<(PriceQuote? Price, EndOfDayMarker? Marker)>[] logs, long[] from, int? stopAfter = null)
    {
        var released = new List<DateOnly>();
        var next = (long[])from.Clone();
        for (var fed = 0; (stopAfter is null || fed < stopAfter) && Enumerable.Range(0, logs.Length).Any(p => next[p] < logs[p].Count);)
        {
            for (var p = 0; p < logs.Length && (stopAfter is null || fed < stopAfter); p++)
            {
                if (next[p] >= logs[p].Count)
                    continue;
                var (price, marker) = logs[p][(int)next[p]];
                if (price is not null)
                    gate.AddPrice(price, p);
                else
                    gate.AddMarker(marker!, next[p]);
                next[p]++;
                fed++;
                foreach (var day in gate.Release())
                    released.Add(day[0].Date);
            }
        }
        return released;
    }

    [Fact]
    public void A_gate_restored_from_any_resume_point_releases_exactly_the_dates_an_uninterrupted_one_releases_after_it()
    {
        var logs = Logs();
        var whole = Feed(new PriceDateGate(["SE1", "SE2"], 2), logs, [0, 0]);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => Mon.AddDays(i)), whole); // the sixth day waits for SE2

        var total = logs.Sum(l => l.Count);
        for (var cut = 0; cut <= total; cut++)
        {
            var first = new PriceDateGate(["SE1", "SE2"], 2);
            var before = Feed(first, logs, [0, 0], stopAfter: cut);
            var resume = first.Resume;
            Assert.Equal(before.Count == 0 ? DateOnly.MinValue : before[^1], resume.Released);

            var restored = new PriceDateGate(["SE1", "SE2"], 2, resume);
            var after = Feed(restored, logs, [.. Enumerable.Range(0, 2).Select(p => resume.OffsetOf(p, ["SE1", "SE2"]) ?? 0)]);

            Assert.Equal(whole, before.Concat(after));
        }
    }

    [Fact]
    public void Before_every_exchange_has_marked_a_released_date_on_a_partition_it_is_read_from_its_beginning()
    {
        var resume = new PriceResume(Mon, new Dictionary<string, long[]> { ["SE1"] = [5, 7], ["SE2"] = [3, -1] });

        Assert.Equal(3, resume.OffsetOf(0, ["SE1", "SE2"]));
        Assert.Null(resume.OffsetOf(1, ["SE1", "SE2"]));
        Assert.Equal(7, resume.OffsetOf(1, ["SE1"]));
        Assert.Null(PriceResume.Beginning.OffsetOf(0, ["SE1"]));
    }
}
