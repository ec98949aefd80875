using System.Text;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging.Kafka;

namespace FinNet.Tests.Messaging.Kafka;

/// <summary>The wire format: byte-compatible with the original Python system's messages, and lenient where its producers differ.</summary>
public class KafkaWireTests
{
    private static PriceTopicMessage Read(string json) => KafkaWire.ReadPriceTopic(Encoding.UTF8.GetBytes(json), partition: 3);

    [Fact]
    public void A_price_is_written_in_the_original_shape()
    {
        var bytes = KafkaWire.Price(new PriceQuote("IBM", new DateOnly(2000, 1, 3), 252.37m, "SE1"));

        Assert.Equal("""{"TICK":"IBM","PRICE":252.37,"DATE":"2000-01-03","EXCHANGE":"SE1"}""", Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData("""{"TICK": "IBM", "PRICE": 252.37, "DATE": "2000-01-03", "EXCHANGE": "SE1"}""")]
    [InlineData("""{"TICK": "IBM", "PRICE": "252.37", "DATE": "2000-01-03", "EXCHANGE": "SE1"}""")]
    [InlineData("""{"EXCHANGE": "SE1", "DATE": "2000-01-03", "TICK": "IBM", "PRICE": 252.370, "SOURCE": "python", "SEQ": 7}""")]
    public void Prices_from_other_producers_are_read_as_numbers_or_numeric_strings_with_extra_fields_ignored(string json) =>
        Assert.Equal(new PriceTopicMessage.Price(new PriceQuote("IBM", new DateOnly(2000, 1, 3), 252.37m, "SE1")), Read(json));

    /// <summary>As JSON documents are read (JsonElement.TryGetProperty): a name given twice means its last value, escapes in names and values are undone, nested values of other fields are skipped.</summary>
    [Theory]
    [InlineData("""{"TICK": "MSFT", "PRICE": 1, "DATE": "1999-01-01", "TICK": "IBM", "PRICE": 252.37, "DATE": "2000-01-03", "EXCHANGE": "SE1"}""")]
    [InlineData("""{"TI\u0043K": "I\u0042M", "PRICE": 2.5237e2, "DATE": "2000-01-03", "EXCHANGE": "SE1"}""")]
    [InlineData("""{"META": {"TICK": "MSFT", "PRICE": [1, 2, {"DATE": "1999-01-01"}]}, "TICK": "IBM", "PRICE": " 252.37 ", "DATE": "2000-01-03", "EXCHANGE": "SE1"}""")]
    public void Fields_are_read_as_a_json_document_reads_them(string json) =>
        Assert.Equal(new PriceTopicMessage.Price(new PriceQuote("IBM", new DateOnly(2000, 1, 3), 252.37m, "SE1")), Read(json));

    [Fact]
    public void An_end_of_day_marker_round_trips_and_is_never_malformed()
    {
        var marker = new EndOfDayMarker("SE2", new DateOnly(2024, 12, 24), 3, 5, Closed: false);

        Assert.Equal(
            """{"MARKER":"END_OF_DAY","EXCHANGE":"SE2","DATE":"2024-12-24","PARTITION":3,"PRICES":5,"CLOSED":false}""",
            Encoding.UTF8.GetString(KafkaWire.Marker(marker)));
        Assert.Equal(new PriceTopicMessage.Marker(marker), KafkaWire.ReadPriceTopic(KafkaWire.Marker(marker), 3));
    }

    [Theory]
    [InlineData("hello", "not JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("""{"TICK": "IBM", "DATE": "2000-01-03"}""", "price without a valid PRICE")]
    [InlineData("""{"TICK": "IBM", "PRICE": "abc", "DATE": "2000-01-03"}""", "price without a valid PRICE")]
    [InlineData("""{"TICK": "IBM", "PRICE": 1, "DATE": "03/01/2000"}""", "price without a valid DATE")]
    [InlineData("""{"TICK": "IBM", "PRICE": -1, "DATE": "2000-01-03"}""", "PRICE -1 is not positive")]
    [InlineData("""{"MARKER": "START_OF_DAY"}""", "unknown marker \"START_OF_DAY\"")]
    [InlineData("""{"MARKER": {"kind": "END_OF_DAY"}}""", "unknown marker {\"kind\": \"END_OF_DAY\"}")]
    [InlineData("""{"MARKER": "END_OF_DAY", "EXCHANGE": "SE1", "DATE": "2000-01-03", "PRICES": "3"}""", "marker without EXCHANGE, DATE or PRICES")]
    [InlineData("""{"MARKER": "END_OF_DAY", "EXCHANGE": "SE1", "DATE": "2000-01-03", "PRICES": 2.5}""", "marker without EXCHANGE, DATE or PRICES")]
    [InlineData("""{"TICK": "IBM", "PRICE": 1, "DATE": "2000-01-03"} x""", "not JSON ('x' is invalid after a single JSON value")]
    [InlineData("""{"TICK": "IBM", "PRICE": 1, "DATE": "2000-01-03",}""", "not JSON")]
    [InlineData("""{"TICK": "IBM", "PRICE": 1, "DATE": "2000-01-03", "X": [1, {"a": ]}""", "not JSON")]
    [InlineData("", "not JSON")]
    [InlineData("\"IBM\"", "not a JSON object")]
    public void Malformed_messages_say_why(string json, string reason)
    {
        var message = Assert.IsType<PriceTopicMessage.Malformed>(Read(json));

        Assert.StartsWith(reason, message.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finnet_nav_carries_the_original_whole_portfolio_fields_and_round_trips()
    {
        // Previous day: value 3,229,390.0, NAV per share 3,229,390 / 12,200 = 264.704098 (half-even).
        var nav = new NavUpdate("Inv1", "P11", new DateOnly(2000, 3, 31), 3205733.0m, 12200m, 262.765000m, -1.939098m, -0.732553m, PreviousValue: 3229390.0m);

        var bytes = KafkaWire.Nav(nav);

        // change = 3,205,733.0 - 3,229,390.0 = -23,657.0 (the values' difference, not -1.939098 x 12,200 = -23,656.9956);
        // change_pct = -23,657 x 100 / 3,229,390 = -0.7325531... -> -0.732553.
        Assert.Equal(
            """{"investor_id":"Inv1","portfolio_id":"P11","date":"2000-03-31","value":3205733.0,"change":-23657.0,"change_pct":-0.732553,"nav_per_share":262.765000,"shares_outstanding":12200,"nav_change":-1.939098,"nav_change_pct":-0.732553}""",
            Encoding.UTF8.GetString(bytes));
        Assert.Equal((nav, (string?)null), KafkaWire.ReadNav(bytes, (_, _) => null));
    }

    [Fact]
    public void An_original_nav_without_per_share_fields_is_divided_by_the_networks_shares()
    {
        var json = """{"investor_id": "Inv1", "portfolio_id": "P11", "date": "2000-03-31", "value": 3205733.0, "change": -23657.0, "change_pct": -0.73}""";

        var (nav, problem) = KafkaWire.ReadNav(Encoding.UTF8.GetBytes(json), (i, p) => i == "Inv1" && p == "P11" ? 12200m : null);

        Assert.Null(problem);
        // 3,205,733 / 12,200 = 262.765 exactly; the previous value 3,205,733 + 23,657 = 3,229,390, whose NAV per share
        // is 264.7040983... -> 264.704098; the per-share change is their difference, -1.939098, and its percent
        // -1.939098 x 100 / 264.704098 = -0.7325532... -> -0.732553 (not the message's rounded -0.73).
        Assert.Equal(new NavUpdate("Inv1", "P11", new DateOnly(2000, 3, 31), 3205733.0m, 12200m, 262.765m, -1.939098m, -0.732553m, 3229390.0m), nav);
    }

    [Fact]
    public void A_first_day_nav_has_no_change_whether_absent_or_null()
    {
        foreach (var json in new[]
        {
            """{"investor_id": "Inv1", "portfolio_id": "P11", "date": "2000-01-03", "value": 122000}""",
            """{"investor_id": "Inv1", "portfolio_id": "P11", "date": "2000-01-03", "value": 122000, "change": null, "change_pct": null}""",
        })
        {
            var (nav, _) = KafkaWire.ReadNav(Encoding.UTF8.GetBytes(json), (_, _) => 12200m);

            Assert.Equal((10m, (decimal?)null, (decimal?)null), (nav!.NavPerShare, nav.Change, nav.ChangePercent));
        }
    }

    [Fact]
    public void A_nav_of_an_unknown_portfolio_without_shares_is_malformed()
    {
        var (nav, problem) = KafkaWire.ReadNav(Encoding.UTF8.GetBytes("""{"investor_id": "Inv9", "portfolio_id": "P1", "date": "2000-01-03", "value": 5}"""), (_, _) => null);

        Assert.Null(nav);
        Assert.Equal("no shares outstanding known for Inv9_P1", problem);
    }

    [Fact]
    public void A_valuation_snapshot_is_written_as_documented_and_read_back_exactly()
    {
        var snapshot = new ValuationSnapshot(3, new PriceResume(new DateOnly(2024, 1, 5), new Dictionary<string, long[]> { ["SE1"] = [12, -1], ["SE2"] = [7, 9] }),
            new Dictionary<string, PortfolioPosition>
            {
                ["Inv1_P11"] = new(new NavPoint(new DateOnly(2024, 1, 5), 12.345678m, -0.000001m, -0.000008m), 123456789.1234567890m),
                ["Inv2_P21"] = new(new NavPoint(new DateOnly(2024, 1, 4), 100m, null, null), null),
            });

        var bytes = KafkaWire.Snapshot(snapshot);
        var (read, problem) = KafkaWire.ReadSnapshot(bytes);

        Assert.Equal(
            """
            {"STATE":"VALUATION","VERSION":1,"PARTITION":3,"RELEASED":"2024-01-05","PRICES":{"SE1":[12,-1],"SE2":[7,9]},"PORTFOLIOS":{"Inv1_P11":{"date":"2024-01-05","nav_per_share":12.345678,"nav_change":-0.000001,"nav_change_pct":-0.000008,"value":123456789.1234567890},"Inv2_P21":{"date":"2024-01-04","nav_per_share":100,"nav_change":null,"nav_change_pct":null,"value":null}}}
            """,
            Encoding.UTF8.GetString(bytes));
        Assert.Null(problem);
        Assert.Equal((3, snapshot.Prices.Released), (read!.Partition, read.Prices.Released));
        Assert.Equal(snapshot.Prices.AfterLastMarker.ToDictionary(e => e.Key, e => string.Join(",", e.Value)), read.Prices.AfterLastMarker.ToDictionary(e => e.Key, e => string.Join(",", e.Value)));
        Assert.Equal(snapshot.Portfolios, read.Portfolios);
        Assert.Equal("123456789.1234567890", read.Portfolios["Inv1_P11"].Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)); // every digit kept
    }

    [Theory]
    [InlineData("""{"TICK": "IBM"}""", "not a valuation snapshot")]
    [InlineData("""{"STATE": "VALUATION", "VERSION": 2}""", "unknown snapshot version 2")]
    [InlineData("""{"STATE": "VALUATION", "VERSION": 1, "PARTITION": 1}""", "snapshot without PARTITION, RELEASED, PRICES or PORTFOLIOS")]
    [InlineData("""{"STATE": "VALUATION", "VERSION": 1, "PARTITION": 1, "RELEASED": "2024-01-05", "PRICES": {}, "PORTFOLIOS": {"Inv1_P11": {"date": "x"}}}""", "snapshot entry Inv1_P11 without date or nav_per_share")]
    [InlineData("""{"STATE": "VALUATION", "VERSION": 1, "PARTITION": 1, "RELEASED": "2024-01-05", "PRICES": {"SE1": ["x"]}, "PORTFOLIOS": {}}""", "not a readable snapshot (The requested operation requires an element of type 'Number', but the target element has type 'String')")]
    [InlineData("nope", "not a readable snapshot ('nope' is an invalid JSON literal)")]
    public void Anything_else_on_the_state_topic_is_not_taken_for_a_snapshot(string json, string problem) =>
        Assert.Equal((null, problem), KafkaWire.ReadSnapshot(Encoding.UTF8.GetBytes(json)));
}
