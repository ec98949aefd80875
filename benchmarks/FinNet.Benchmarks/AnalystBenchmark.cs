using System.Diagnostics;
using System.Globalization;
using System.Text;
using FinNet.Cli.Pipeline;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;

namespace FinNet.Benchmarks;

/// <summary>
/// The analyst alone, as <c>finnet report</c> in a new process: PORTFOLIOS x DAYS seeded NAV series (generated once
/// into a SQLite store under the temp folder and reused), every metric, text and JSON, no charts, no benchmark.
/// Prints NAV rows per second end to end (reading included) and the process's peak memory; a smaller run first
/// shows whether memory grows with the number of portfolios.
/// </summary>
internal static class AnalystBenchmark
{
    public static async Task<int> RunAsync(int portfolios, int days)
    {
        foreach (var count in portfolios > 100 ? new[] { 100, portfolios } : [portfolios])
        {
            var (db, network) = await GenerateAsync(count, days);
            var reports = Directory.CreateTempSubdirectory("finnet-bench-reports-");
            try
            {
                var (exit, seconds) = await EmbeddedRunBenchmark.RunCliAsync(
                    "report", "--store", "sqlite:" + db, "--network", network, "--reports", reports.FullName, "--format", "text,json", "--benchmark", "none");
                if (exit != 0)
                {
                    Console.Error.WriteLine($"finnet report failed with exit code {exit}");
                    return 1;
                }
                var rows = (long)count * days;
                Console.WriteLine($"analyst {count:N0} portfolios x {days:N0} NAVs: {rows:N0} rows in {seconds:0.00} s = {rows / seconds:N0} rows/s, peak memory so far {EmbeddedRunBenchmark.PeakChildMemoryMegabytes():0} MB");
            }
            finally
            {
                reports.Delete(recursive: true);
            }
        }
        return 0;
    }

    /// <summary>The time to draw the default network's HTML reports: <c>finnet report</c> with and without html, over a full-history store.</summary>
    public static async Task<int> HtmlAsync()
    {
        var work = Directory.CreateTempSubdirectory("finnet-bench-html-");
        try
        {
            var db = "sqlite:" + Path.Combine(work.FullName, "full.db");
            if ((await EmbeddedRunBenchmark.RunCliAsync("run", "--to", "2026-11-24", "--store", db, "--reports", Path.Combine(work.FullName, "r0"))).ExitCode != 0)
                return 1;
            for (var i = 1; i <= 3; i++)
            {
                var (_, without) = await EmbeddedRunBenchmark.RunCliAsync("report", "--store", db, "--reports", Path.Combine(work.FullName, "r1"), "--format", "text,json");
                var (_, with) = await EmbeddedRunBenchmark.RunCliAsync("report", "--store", db, "--reports", Path.Combine(work.FullName, "r2"), "--format", "text,json,html");
                Console.WriteLine($"report of the default network: text+json {without:0.00} s, text+json+html {with:0.00} s: drawing 6 pages and the index takes {with - without:0.00} s");
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<(string Database, string Network)> GenerateAsync(int portfolios, int days)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"finnet-bench-analyst-{portfolios}x{days}");
        var db = Path.Combine(folder, "navs.db");
        var networkFile = Path.Combine(folder, "network.json");
        if (File.Exists(Path.Combine(folder, "complete")))
            return (db, networkFile);
        Directory.CreateDirectory(folder);
        File.Delete(db);

        // 100 portfolios per investor, each holding three of the default network's stocks.
        var tickers = NetworkFile.LoadDefault().Stocks.Select(s => s.Ticker).ToArray();
        var json = new StringBuilder("{\"exchanges\":[{\"id\":\"SE1\",\"calendar\":\"default\",\"stocks\":[");
        json.AppendJoin(',', tickers.Select(t => $"{{\"ticker\":\"{t}\",\"price\":100}}")).Append("]}],\"investors\":[");
        for (var investor = 0; investor * 100 < portfolios; investor++)
        {
            json.Append(investor > 0 ? "," : "").Append(CultureInfo.InvariantCulture, $"{{\"id\":\"Inv{investor + 1}\",\"name\":\"Investor {investor + 1}\",\"city\":\"Bench\",\"portfolios\":[");
            for (var p = investor * 100; p < Math.Min(portfolios, (investor + 1) * 100); p++)
            {
                json.Append(p > investor * 100 ? "," : "").Append(CultureInfo.InvariantCulture,
                    $"{{\"id\":\"P{p + 1}\",\"name\":\"Portfolio {p + 1}\",\"cumulative\":true,\"shares\":1000,\"holdings\":{{\"{tickers[p % tickers.Length]}\":10,\"{tickers[(p + 1) % tickers.Length]}\":20,\"{tickers[(p + 2) % tickers.Length]}\":30}}}}");
            }
            json.Append("]}");
        }
        await File.WriteAllTextAsync(networkFile, json.Append("]}").ToString());
        var network = NetworkFile.Load(networkFile);

        var dates = TradingCalendar.Default.TradingDays(PriceModels.HistoryStart, PriceModels.HistoryStart.AddYears(40)).Take(days).ToArray();
        await using var store = Stores.Open("sqlite:" + db);
        await store.CreateSchemaAsync(CancellationToken.None);
        await store.WriteReferenceDataAsync(network, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var batch = new List<NavUpdate>();
        var index = 0;
        foreach (var portfolio in network.Portfolios)
        {
            // A seeded random walk per portfolio, rounded half-even to 6 places like every stored NAV.
            var random = new Random(index++);
            decimal? previous = null;
            var nav = 100m;
            foreach (var date in dates)
            {
                decimal? change = previous is { } p ? nav - p : null;
                decimal? percent = previous is { } q ? Math.Round((nav - q) * 100 / q, 6, MidpointRounding.ToEven) : null;
                batch.Add(new NavUpdate(portfolio.InvestorId, portfolio.Id, date, nav * 1000, 1000, nav, change, percent));
                previous = nav;
                nav = Math.Round(nav * (decimal)(1 + ((random.NextDouble() - 0.495) * 0.03)), 6, MidpointRounding.ToEven);
            }
            if (batch.Count >= 100_000)
            {
                await store.WriteAsync(new RecordBatch([], batch), CancellationToken.None);
                batch.Clear();
            }
        }
        await store.WriteAsync(new RecordBatch([], batch), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(folder, "complete"), "");
        Console.WriteLine($"generated {portfolios:N0} x {days:N0} NAVs into {db} in {clock.Elapsed.TotalSeconds:0} s (reused by later runs)");
        return (db, networkFile);
    }
}
