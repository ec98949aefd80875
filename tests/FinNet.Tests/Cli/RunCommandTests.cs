using System.Globalization;
using System.Text.Json;
using FinNet.Network;
using FinNet.Tests.Storage;

namespace FinNet.Tests.Cli;

/// <summary>
/// `finnet run` end to end for a few months, checked against numbers the test recomputes itself from the stored
/// prices: NAVs from holdings, changes and percents from NAVs, report figures from the stored series.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private static readonly InvestmentNetwork Network = NetworkFile.LoadDefault();
    private static readonly string[] Holidays = ["01-01", "01-06", "03-25", "05-01", "08-15", "10-28", "12-25", "12-26"];
    private readonly TempDirectory _directory = new();

    private string Db => _directory.File("finnet.db");

    private string Reports => _directory.File("reports");

    private Task<CliRunner.Result> RunAsync(string to, params string[] more) =>
        CliRunner.InvokeAsync(["run", "--from", "2024-01-01", "--to", to, "--store", "sqlite:" + Db, "--reports", Reports, .. more]);

    private static List<DateOnly> TradingDays(DateOnly from, DateOnly to)
    {
        var days = new List<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.Contains(d.ToString("MM-dd", CultureInfo.InvariantCulture)))
                days.Add(d);
        }
        return days;
    }

    private List<string?[]> Query(string sql) => SqliteQuery.Rows(Db, sql);

    [Fact]
    public async Task A_run_refused_for_reaching_before_the_stored_history_writes_nothing_not_even_its_provenance()
    {
        // A store recorded by a recorder (the network claimed, no seed or model), holding 2024-02 onwards.
        Assert.Equal(0, (await CliRunner.InvokeAsync(["db", "init", "--store", "sqlite:" + Db])).ExitCode);
        SqliteQuery.Execute(Db, "INSERT INTO StockPrices (Ticker, AsOf, Price, Exchange) VALUES ('IBM', '2024-02-01', '100.000000', 'SE1')");
        var before = Query("SELECT Name, Value FROM FinNetProvenance ORDER BY Name");

        var result = await RunAsync("2024-02-10", "--seed", "7");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"finnet: error: store sqlite:{Db} begins on 2024-02-01; a run cannot extend it back to 2024-01-01 (use --reset to start afresh)\n", result.Error);
        Assert.Equal([["network", Network.Fingerprint]], before);
        Assert.Equal(before, Query("SELECT Name, Value FROM FinNetProvenance ORDER BY Name"));
    }

    [Fact]
    public async Task A_few_months_store_every_price_and_the_navs_their_holdings_imply()
    {
        var result = await RunAsync("2024-04-30");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var days = TradingDays(new DateOnly(2024, 1, 1), new DateOnly(2024, 4, 30));
        Assert.Equal(85, days.Count); // weekdays 23 + 21 + 21 + 22, less 1 Jan and 25 Mar (6 Jan is a Saturday)
        Assert.Equal([[(days.Count * 24).ToString(CultureInfo.InvariantCulture)]], Query("SELECT COUNT(*) FROM StockPrices"));

        var prices = Query("SELECT Ticker, AsOf, Price FROM StockPrices")
            .ToDictionary(r => (r[0]!, r[1]!), r => decimal.Parse(r[2]!, CultureInfo.InvariantCulture));
        foreach (var portfolio in Network.Portfolios)
        {
            var rows = Query($"SELECT AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM {portfolio.Key} ORDER BY AsOf");
            Assert.Equal(days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
            decimal? previous = null;
            foreach (var row in rows)
            {
                var value = portfolio.Holdings.Sum(h => h.Quantity * prices[(h.Ticker, row[0]!)]);
                var nav = Math.Round(value / portfolio.SharesOutstanding, 6, MidpointRounding.ToEven);
                Assert.Equal(nav.ToString("0.000000", CultureInfo.InvariantCulture), row[1]);
                Assert.Equal(previous is null ? null : (nav - previous.Value).ToString("0.000000", CultureInfo.InvariantCulture), row[2]);
                Assert.Equal(previous is null ? null : Math.Round((nav - previous.Value) * 100 / previous.Value, 6, MidpointRounding.ToEven).ToString("0.000000", CultureInfo.InvariantCulture), row[3]);
                previous = nav;
            }
        }
    }

    [Fact]
    public async Task Reports_carry_the_statistics_of_the_stored_series()
    {
        await RunAsync("2024-04-30");

        foreach (var portfolio in Network.Portfolios)
        {
            var rows = Query($"SELECT AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM {portfolio.Key} ORDER BY AsOf")
                .Select(r => (Date: r[0]!, Nav: decimal.Parse(r[1]!, CultureInfo.InvariantCulture), Change: r[2] is null ? (decimal?)null : decimal.Parse(r[2]!, CultureInfo.InvariantCulture), Percent: r[3] is null ? (decimal?)null : decimal.Parse(r[3]!, CultureInfo.InvariantCulture)))
                .ToList();
            var changes = rows.Where(r => r.Change is not null).ToList();
            var mean = rows.Sum(r => r.Nav) / rows.Count;
            var std = Math.Sqrt((double)(rows.Sum(r => (r.Nav - mean) * (r.Nav - mean)) / (rows.Count - 1)));

            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Reports, $"{portfolio.Key}_stats.json")));
            var root = json.RootElement;
            Assert.Equal(portfolio.Key, root.GetProperty("portfolio").GetString());
            Assert.Equal(rows.Count, root.GetProperty("days").GetInt32());
            var daily = root.GetProperty("daily_change");
            Assert.Equal(changes.Max(r => r.Change!.Value), daily.GetProperty("max_change").GetDecimal());
            Assert.Equal(changes.Min(r => r.Change!.Value), daily.GetProperty("min_change").GetDecimal());
            Assert.Equal(changes.Max(r => r.Percent!.Value), daily.GetProperty("max_change_percent").GetDecimal());
            Assert.Equal(changes.Min(r => r.Percent!.Value), daily.GetProperty("min_change_percent").GetDecimal());
            Assert.Equal([2024], root.GetProperty("daily_change_by_year").EnumerateArray().Select(y => y.GetProperty("year").GetInt32()));
            Assert.Equal(mean, root.GetProperty("nav_per_share").GetProperty("mean").GetDecimal());
            Assert.Equal(std, (double)root.GetProperty("nav_per_share").GetProperty("std").GetDecimal(), 1e-9);
            // The default period 2020..2024 holds every row: (4) equals (3).
            Assert.Equal(mean, root.GetProperty("nav_per_share_in_period").GetProperty("mean").GetDecimal());
            var months = root.GetProperty("monthly_mean_nav_per_share").EnumerateArray().ToList();
            Assert.Equal(["2024-04", "2024-03", "2024-02", "2024-01"], months.Select(m => m.GetProperty("month").GetString()));
            var april = rows.Where(r => r.Date.StartsWith("2024-04", StringComparison.Ordinal)).ToList();
            Assert.Equal(april.Sum(r => r.Nav) / april.Count, months[0].GetProperty("mean").GetDecimal());

            var text = File.ReadAllText(Path.Combine(Reports, $"{portfolio.Key}_stats.txt"));
            Assert.Contains($"max change {changes.Max(r => r.Change!.Value).ToString("0.000000", CultureInfo.InvariantCulture),14}", text, StringComparison.Ordinal);
            Assert.Contains($"   2024-04 {Math.Round(april.Sum(r => r.Nav) / april.Count, 6, MidpointRounding.ToEven).ToString("0.000000", CultureInfo.InvariantCulture),14}", text, StringComparison.Ordinal);
            string[] sections = ["1. Daily NAV change over the full history", "2. Daily NAV change by year", "3. NAV per share over the full history", "4. NAV per share from 2020-01-01 to 2024-12-31", "5. Mean NAV per share by month"];
            Assert.Equal(sections.OrderBy(s => text.IndexOf(s, StringComparison.Ordinal)), sections);
        }
    }

    [Fact]
    public async Task Running_twice_gives_the_same_database_and_a_split_run_equals_one_run()
    {
        await RunAsync("2024-02-29");
        var resumed = await RunAsync("2024-04-30");
        var once = CliRunner.Dump(Db);
        var again = await RunAsync("2024-04-30");

        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to publish", again.Output, StringComparison.Ordinal);
        Assert.Equal(once, CliRunner.Dump(Db));

        using var other = new TempDirectory();
        var direct = await CliRunner.InvokeAsync("run", "--from", "2024-01-01", "--to", "2024-04-30", "--store", "sqlite:" + other.File("x.db"), "--reports", other.File("r"));
        Assert.Equal(0, direct.ExitCode);
        Assert.Equal(CliRunner.Dump(other.File("x.db")), once);
    }

    [Fact]
    public async Task Summary_table_lists_every_portfolio_with_its_final_nav()
    {
        var result = await RunAsync("2024-01-31");

        var last = Query("SELECT NAVperShare FROM Inv3_P32 ORDER BY AsOf DESC LIMIT 1")[0][0];
        Assert.Contains("Inv3_P32", result.Output, StringComparison.Ordinal);
        Assert.Contains(last!, result.Output, StringComparison.Ordinal);
        Assert.Contains("Max drawdown", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_seed_into_the_same_store_is_refused_and_changes_nothing()
    {
        await RunAsync("2024-01-31");
        var before = CliRunner.Dump(Db);

        var result = await RunAsync("2024-02-29", "--seed", "7");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"finnet: error: store sqlite:{Db} holds data produced with seed 42 (this run: 7); use another store, or start it afresh with 'finnet run --reset'\n", result.Error);
        Assert.Equal(before, CliRunner.Dump(Db));

        var reset = await RunAsync("2024-01-31", "--seed", "7", "--reset");
        Assert.Equal(0, reset.ExitCode);
        Assert.NotEqual(before, CliRunner.Dump(Db));
    }

    [Theory]
    [InlineData("--from after --to", new[] { "--from", "2024-05-01", "--to", "2024-04-30" }, "finnet: error: --from 2024-05-01 is after --to 2024-04-30")]
    [InlineData("unknown model", new[] { "--model", "random" }, "finnet: error: --model: unknown price model 'random' (choose gbm or uniform)")]
    [InlineData("bad date", new[] { "--to", "2024-13-01" }, "finnet: error: --to: '2024-13-01' is not a date; write yyyy-mm-dd, e.g. 2020-01-31")]
    [InlineData("bad interval", new[] { "--day-interval", "fast" }, "finnet: error: --day-interval: 'fast' is not a duration; write e.g. 2s, 500ms, 1m or 0")]
    [InlineData("bad period", new[] { "--period", "2024" }, "finnet: error: --period: '2024' is not a period; write FROM..TO, e.g. 2020-01-01..2024-12-31")]
    [InlineData("before history", new[] { "--from", "1999-12-31" }, "finnet: error: --from 1999-12-31 is before the price history starts (2000-01-01)")]
    public async Task Bad_options_are_one_line_errors_with_exit_2_and_no_store(string why, string[] args, string expected)
    {
        var result = await CliRunner.InvokeAsync(["run", "--store", "sqlite:" + Db, "--reports", Reports, .. args]);

        Assert.True(result.ExitCode == 2, why);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(Db), "no store is created for bad input");
    }

    [Fact]
    public async Task A_network_with_an_unknown_ticker_is_refused_before_the_store_is_touched()
    {
        var network = _directory.File("network.json");
        using (var stream = typeof(NetworkFile).Assembly.GetManifestResourceStream("FinNet.network.default.json")!)
            File.WriteAllText(network, new StreamReader(stream).ReadToEnd().Replace("\"GOOG\": 1900", "\"GOOGL\": 1900", StringComparison.Ordinal));

        var result = await RunAsync("2024-01-31", "--network", network);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"finnet: error: {network}: investors[0].portfolios[0].holdings.GOOGL: unknown ticker 'GOOGL' (no exchange lists it)\n", result.Error);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task An_unwritable_store_path_is_bad_input()
    {
        var result = await CliRunner.InvokeAsync("run", "--to", "2000-01-31", "--store", "sqlite:/nonexistent/finnet.db", "--reports", Reports);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("finnet: error: --store sqlite:/nonexistent/finnet.db: the folder /nonexistent does not exist\n", result.Error);
    }

    public void Dispose() => _directory.Dispose();
}
