using System.Diagnostics;
using System.Globalization;
using FinNet.Analyst;
using FinNet.Investors;

namespace FinNet.Benchmarks;

/// <summary>
/// The incremental analyst alone, in this process, on one thread: PORTFOLIOS seeded series of DAYS NAVs each (with a
/// benchmark value on every date) fed one NAV at a time into <see cref="PortfolioAnalytics"/>, every metric
/// maintained. Prints NAV updates per second (median of 5 rounds), the time to read one portfolio's full figures at
/// the end, and the managed memory the analytics hold per portfolio.
/// </summary>
internal static class AnalyticsBenchmark
{
    public static int Run(int portfolios, int days)
    {
        var series = Enumerable.Range(0, portfolios).Select(p => Series(p, days)).ToArray();
        var options = new MetricsOptions();
        var rates = new List<double>();
        PortfolioAnalytics[] analytics = [];
        for (var round = 0; round < 6; round++) // the first round warms up (JIT)
        {
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            analytics = new PortfolioAnalytics[portfolios];
            var clock = Stopwatch.StartNew();
            for (var p = 0; p < portfolios; p++)
            {
                var portfolio = analytics[p] = new PortfolioAnalytics(options, DatePeriod.DefaultStatisticsPeriod, "market");
                foreach (var (point, benchmark) in series[p])
                    portfolio.Add(point, benchmark);
            }
            clock.Stop();
            if (round > 0)
                rates.Add(portfolios * (double)days / clock.Elapsed.TotalSeconds);
            if (round == 5)
            {
                var held = GC.GetTotalMemory(forceFullCollection: true) - before;
                var read = Stopwatch.StartNew();
                var reads = 0;
                for (; read.ElapsedMilliseconds < 500; reads++)
                    _ = (analytics[reads % portfolios].Statistics, analytics[reads % portfolios].Metrics, analytics[reads % portfolios].Comparison);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    reading one portfolio's figures ({days:N0} NAVs): {read.Elapsed.TotalMilliseconds / reads:0.000} ms; held {held / portfolios / 1024.0:0} KiB per portfolio ({held / (double)portfolios / days:0} bytes per NAV)"));
            }
        }
        rates.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"incremental analyst, {portfolios:N0} portfolios x {days:N0} NAVs, every metric and the benchmark comparison kept: median {rates[2]:N0} NAV updates/s of 5 ({string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))})"));
        GC.KeepAlive(analytics);
        return 0;
    }

    /// <summary>A seeded trading-day walk of 6-place NAVs with its stored changes, and a benchmark value per date.</summary>
    private static (NavPoint Point, double? Benchmark)[] Series(int seed, int days)
    {
        var random = new Random(seed);
        var series = new (NavPoint, double?)[days];
        var (nav, benchmark, date) = (100m, 100.0, new DateOnly(2000, 1, 3));
        for (var i = 0; i < days; i++, date = date.AddDays(date.DayOfWeek == DayOfWeek.Friday ? 3 : 1))
        {
            var next = Math.Round(nav * (decimal)(1 + ((random.NextDouble() - 0.495) * 0.04)), 6);
            series[i] = (i == 0
                ? new NavPoint(date, nav, null, null)
                : new NavPoint(date, next, next - nav, Math.Round(100 * ((next / nav) - 1), 6)), benchmark);
            if (i > 0)
                nav = next;
            benchmark *= 1 + ((random.NextDouble() - 0.5) * 0.02);
        }
        return series;
    }
}
