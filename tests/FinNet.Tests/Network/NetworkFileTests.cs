using System.Text;
using FinNet.Network;

namespace FinNet.Tests.Network;

public class NetworkFileTests
{
    private static InvestmentNetwork Parse(string json) => NetworkFile.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    private static string DefaultJson()
    {
        using var stream = typeof(NetworkFile).Assembly.GetManifestResourceStream("FinNet.network.default.json")!;
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public void Default_network_has_the_issue_s_exchanges_investors_and_portfolios()
    {
        var network = NetworkFile.LoadDefault();

        Assert.Equal(["SE1", "SE2"], network.Exchanges.Select(e => e.Id));
        Assert.All(network.Exchanges, e => Assert.Equal(12, e.Stocks.Count));
        Assert.Equal(256.90m, network.FindStock("IBM")!.ReferencePrice);
        Assert.Equal(68.19m, network.FindStock("EBAY")!.ReferencePrice);
        Assert.Equal("SE2", network.FindStock("AVGO")!.ExchangeId);
        Assert.Equal(["Inv1_P11", "Inv1_P12", "Inv2_P21", "Inv2_P22", "Inv3_P31", "Inv3_P32"], network.Portfolios.Select(p => p.Key));

        var p21 = network.Portfolios.Single(p => p.Key == "Inv2_P21");
        Assert.Equal("Beta Tech Innovation", p21.Name);
        Assert.False(p21.Cumulative);
        Assert.Equal(11_800m, p21.SharesOutstanding);
        Assert.Equal([("HPQ", 1600m), ("CSCO", 1700m), ("ZM", 1900m), ("QCOM", 2100m), ("ADBE", 2800m), ("VZ", 1700m)],
            p21.Holdings.Select(h => (h.Ticker, h.Quantity)));
        Assert.Equal(("Gamma Fund", "Tokyo"), (network.GetInvestor("Inv3").Name, network.GetInvestor("Inv3").City));
    }

    [Fact]
    public void Fingerprint_ignores_whitespace_but_not_content()
    {
        var json = DefaultJson();
        var compact = json.Replace("\n", "", StringComparison.Ordinal).Replace("  ", "", StringComparison.Ordinal);

        Assert.Equal(Parse(json).Fingerprint, Parse(compact).Fingerprint);
        Assert.NotEqual(Parse(json).Fingerprint, Parse(json.Replace("\"shares\": 12200", "\"shares\": 12201", StringComparison.Ordinal)).Fingerprint);
    }

    [Theory]
    [InlineData("\"IBM\": 1300", "\"XYZ\": 1300", "investors[0].portfolios[0].holdings.XYZ: unknown ticker 'XYZ'")]
    [InlineData("\"IBM\": 1300", "\"IBM\": 0", "investors[0].portfolios[0].holdings.IBM: quantity must be positive, got 0")]
    [InlineData("\"shares\": 12200", "\"shares\": -5", "investors[0].portfolios[0].shares: shares outstanding must be positive, got -5")]
    [InlineData("\"id\": \"P12\"", "\"id\": \"P11\"", "investors[0].portfolios[1].id: duplicate portfolio id 'P11'")]
    [InlineData("\"id\": \"Inv2\"", "\"id\": \"Inv1\"", "investors[1].id: duplicate investor id 'Inv1'")]
    [InlineData("\"ticker\": \"HPQ\"", "\"ticker\": \"IBM\"", "exchanges[1].stocks[0].ticker: duplicate ticker 'IBM'")]
    [InlineData("\"id\": \"P11\"", "\"id\": \"P1; DROP TABLE Investors\"", "investors[0].portfolios[0].id: 'P1; DROP TABLE Investors' is not a valid id")]
    [InlineData("\"id\": \"Inv1\"", "\"id\": \"Inv_1\"", "investors[0].id: 'Inv_1' is not a valid id")]
    [InlineData("\"price\": 256.90", "\"price\": 0", "exchanges[0].stocks[0].price: reference price must be positive, got 0")]
    [InlineData("\"calendar\": \"default\"", "\"calendar\": \"lunar\"", "exchanges[0].calendar: unknown calendar 'lunar'")]
    public void Inconsistent_network_is_rejected_naming_file_field_and_value(string find, string replace, string expected)
    {
        var json = DefaultJson();
        var index = json.IndexOf(find, StringComparison.Ordinal);
        var broken = string.Concat(json.AsSpan(0, index), replace, json.AsSpan(index + find.Length));

        var error = Assert.Throws<InvalidInputException>(() => Parse(broken));

        Assert.StartsWith("test.json: " + expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Malformed_json_and_unknown_fields_are_rejected_with_the_file_name()
    {
        var truncated = Assert.Throws<InvalidInputException>(() => Parse("{\"exchanges\": ["));
        var unknown = Assert.Throws<InvalidInputException>(() => Parse(DefaultJson().Replace("\"calendar\"", "\"calender\"", StringComparison.Ordinal)));

        Assert.StartsWith("test.json: not a valid network file", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("calender", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidInputException>(() => NetworkFile.Load("/nonexistent/net.json"));

        Assert.StartsWith("/nonexistent/net.json: cannot read the network file", error.Message, StringComparison.Ordinal);
    }
}
