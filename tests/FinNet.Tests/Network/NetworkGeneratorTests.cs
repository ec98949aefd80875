using System.Text.Json;
using FinNet.Network;
using FinNet.Tests.Cli;

namespace FinNet.Tests.Network;

/// <summary><c>finnet network generate</c>: deterministic, the counts asked for, valid ids, every holding listed, clear errors.</summary>
public sealed class NetworkGeneratorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static InvestmentNetwork Parse(byte[] bytes) => NetworkFile.Parse(new MemoryStream(bytes), "generated");

    [Fact]
    public void The_same_options_give_the_same_bytes_and_another_seed_another_network()
    {
        var first = NetworkGenerator.Generate(3, 50, 4, 30, 7, seed: 42);
        var again = NetworkGenerator.Generate(3, 50, 4, 30, 7, seed: 42);
        var other = NetworkGenerator.Generate(3, 50, 4, 30, 7, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(Parse(first).Fingerprint, Parse(again).Fingerprint);
    }

    [Fact]
    public void Totals_are_spread_evenly_ids_are_numbered_across_the_network_and_every_holding_is_listed()
    {
        // 7 stocks over 3 exchanges: 3, 2, 2; 8 portfolios over 3 investors: 3, 3, 2.
        var network = Parse(NetworkGenerator.Generate(3, 7, 3, 8, 4, seed: 1));

        Assert.Equal(["SE1", "SE2", "SE3"], network.Exchanges.Select(e => e.Id));
        Assert.Equal([3, 2, 2], network.Exchanges.Select(e => e.Stocks.Count));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"S{i:0000}"), network.Exchanges.SelectMany(e => e.Stocks).Select(s => s.Ticker));
        Assert.Equal(["Inv1", "Inv2", "Inv3"], network.Investors.Select(i => i.Id));
        Assert.Equal([3, 3, 2], network.Investors.Select(i => i.Portfolios.Count));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"P{i}"), network.Portfolios.Select(p => p.Id));
        foreach (var portfolio in network.Portfolios)
        {
            Assert.Equal(4, portfolio.Holdings.Select(h => h.Ticker).Distinct().Count());
            Assert.All(portfolio.Holdings, h => Assert.NotNull(network.FindStock(h.Ticker)));
            Assert.All(portfolio.Holdings, h => Assert.True(h.Quantity > 0));
            Assert.True(portfolio.SharesOutstanding > 0);
        }
        Assert.All(network.Stocks, s => Assert.InRange(s.ReferencePrice, 5m, 1000m));
        Assert.All(network.Stocks, s => Assert.InRange(s.Volatility!.Value, 0.15, 0.45));
        // Holdings are drawn across exchanges, not from the first one only.
        Assert.True(network.Portfolios.SelectMany(p => p.Holdings).Select(h => network.FindStock(h.Ticker)!.ExchangeId).Distinct().Count() > 1);
    }

    [Fact]
    public void Ten_thousand_stocks_get_five_digit_tickers()
    {
        var network = Parse(NetworkGenerator.Generate(2, 10_000, 1, 1, 3, seed: 42));

        Assert.Equal("S00001", network.Exchanges[0].Stocks[0].Ticker);
        Assert.Equal("S10000", network.Exchanges[1].Stocks[^1].Ticker);
    }

    [Theory]
    [InlineData(new[] { "--holdings", "300" }, "--holdings 300 is more than --stocks 200: a portfolio holds distinct stocks")]
    [InlineData(new[] { "--stocks", "1", "--exchanges", "2", "--holdings", "1" }, "--stocks 1 is fewer than --exchanges 2: every exchange lists at least one stock")]
    [InlineData(new[] { "--portfolios", "10" }, "--portfolios 10 is fewer than --investors 20: every investor manages at least one portfolio")]
    [InlineData(new[] { "--investors", "0" }, "--investors: 0 is not between 1 and 100,000")]
    [InlineData(new[] { "--portfolios", "1000001" }, "--portfolios: 1000001 is not between 1 and 1,000,000")]
    public async Task Impossible_options_are_one_line_errors(string[] options, string error)
    {
        var result = await CliRunner.InvokeAsync(["network", "generate", .. options]);

        Assert.Equal((2, $"finnet: error: {error}\n", ""), (result.ExitCode, result.Error, result.Output));
    }

    [Fact]
    public async Task The_defaults_write_a_file_finnet_reads_and_stdout_holds_the_same_bytes()
    {
        var file = _directory.File("network.json");

        var written = await CliRunner.InvokeAsync("network", "generate", "--out", file);
        var printed = await CliRunner.InvokeAsync("network", "generate");

        Assert.Equal(0, written.ExitCode);
        Assert.Equal(File.ReadAllText(file), printed.Output);
        var network = NetworkFile.Load(file);
        Assert.Equal((2, 200, 20, 200), (network.Exchanges.Count, network.Stocks.Count(), network.Investors.Count, network.Portfolios.Count));
        Assert.All(network.Portfolios, p => Assert.Equal(25, p.Holdings.Count));
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        Assert.Equal("S0001", json.RootElement.GetProperty("exchanges")[0].GetProperty("stocks")[0].GetProperty("ticker").GetString());
    }

    public void Dispose() => _directory.Dispose();
}
