using System.Globalization;
using System.Text.Json;
using FinNet.Network;
using FinNet.Tests.Storage;

namespace FinNet.Tests.Cli;

/// <summary>
/// A generated network of 300 portfolios through <c>finnet run</c> for two months: every NAV recomputed here from
/// the stored prices, each report's figures from its stored series, and <c>--format auto</c> choosing no page per
/// portfolio beyond 200 (text, JSON and index.html), saying so.
/// </summary>
public sealed class GeneratedNetworkRunTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Db => _directory.File("scale.db");

    private string Reports => _directory.File("reports");

    [Fact]
    public async Task Three_hundred_generated_portfolios_store_the_navs_their_holdings_imply_and_report_without_pages()
    {
        var file = _directory.File("network.json");
        await File.WriteAllBytesAsync(file, NetworkGenerator.Generate(2, 120, 30, 300, 20, seed: 7), TestContext.Current.CancellationToken);
        var network = NetworkFile.Load(file);

        var result = await CliRunner.InvokeAsync("run", "--network", file, "--from", "2024-01-01", "--to", "2024-02-29", "--store", "sqlite:" + Db, "--reports", Reports);

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        // Jan-Feb 2024: 44 weekdays less 1 January.
        const int Days = 43;
        Assert.Equal([[(120 * Days).ToString(CultureInfo.InvariantCulture)]], SqliteQuery.Rows(Db, "SELECT COUNT(*) FROM StockPrices"));
        Assert.Equal([[(300 * Days).ToString(CultureInfo.InvariantCulture)]], SqliteQuery.Rows(Db, "SELECT COUNT(*) FROM PortfolioNavs"));
        var prices = SqliteQuery.Rows(Db, "SELECT Ticker, AsOf, Price FROM StockPrices").ToDictionary(r => (r[0]!, r[1]!), r => decimal.Parse(r[2]!, CultureInfo.InvariantCulture));
        var navs = SqliteQuery.Rows(Db, "SELECT iid || '_' || pid, AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM PortfolioNavs ORDER BY iid, pid, AsOf")
            .GroupBy(r => r[0]!).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var portfolio in network.Portfolios)
        {
            var rows = navs[portfolio.Key];
            Assert.Equal(Days, rows.Count);
            decimal? previous = null;
            foreach (var row in rows)
            {
                var nav = Math.Round(portfolio.Holdings.Sum(h => h.Quantity * prices[(h.Ticker, row[1]!)]) / portfolio.SharesOutstanding, 6, MidpointRounding.ToEven);
                Assert.Equal(nav.ToString("0.000000", CultureInfo.InvariantCulture), row[2]);
                Assert.Equal(previous is null ? null : (nav - previous.Value).ToString("0.000000", CultureInfo.InvariantCulture), row[3]);
                Assert.Equal(previous is null ? null : Math.Round((nav - previous.Value) * 100 / previous.Value, 6, MidpointRounding.ToEven).ToString("0.000000", CultureInfo.InvariantCulture), row[4]);
                previous = nav;
            }

            // The report's figures from the stored series, computed a second way here.
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Reports, $"{portfolio.Key}_stats.json")));
            var series = rows.Select(r => decimal.Parse(r[2]!, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Days, json.RootElement.GetProperty("days").GetInt32());
            Assert.Equal((double)(series[^1] / series[0]) - 1, json.RootElement.GetProperty("metrics").GetProperty("total_return").GetDouble(), 1e-12);
            Assert.Equal(series.Sum() / Days, json.RootElement.GetProperty("nav_per_share").GetProperty("mean").GetDecimal());
        }

        // --format auto: 300 portfolios are more than 200, so text, JSON and index.html, and the output says why.
        var files = Directory.GetFiles(Reports).Select(Path.GetFileName).ToList();
        Assert.Equal((600, 1), (files.Count(f => f!.EndsWith("_stats.json", StringComparison.Ordinal) || f.EndsWith("_stats.txt", StringComparison.Ordinal)), files.Count(f => f!.EndsWith(".html", StringComparison.Ordinal))));
        Assert.Contains("index.html", files);
        Assert.Contains($"Reports: {Reports} (601 files); open {Reports}/index.html\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("Formats: text, JSON and index.html (auto: 300 portfolios, pages only up to 200; --format text,json,html for all)\n", result.Output, StringComparison.Ordinal);
        // Above 20 portfolios the summary shows the 10 best and 10 worst, and totals.
        Assert.Contains("the 10 best of 300 portfolios by total return", result.Output, StringComparison.Ordinal);
        Assert.Contains("300 portfolios, 12,900 NAVs: total return mean", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
