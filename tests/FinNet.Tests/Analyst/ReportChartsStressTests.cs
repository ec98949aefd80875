using FinNet.Analyst;
using FinNet.Investors;
using FinNet.Network;

namespace FinNet.Tests.Analyst;

/// <summary>
/// The charts drawn the way a large run draws them, only harder: many pages at once on twice the cores (drawing has no
/// lock: each chart is its own Skia canvas writing into native memory), with the garbage collector forced between
/// rounds so that anything native still pointing at a collected managed object (the SIGSEGV a 1,000-portfolio run
/// once died of) fails here, and every round's pages identical to the first.
/// </summary>
public class ReportChartsStressTests
{
    /// <summary>A seeded 3-year random walk of NAVs per portfolio (different per portfolio), so every chart has work.</summary>
    private static PortfolioReport Report(int index)
    {
        var random = new Random(index);
        var navs = new List<NavPoint>();
        var (date, nav) = (new DateOnly(2021, 1, 4), 100m);
        while (date < new DateOnly(2024, 1, 1))
        {
            if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                var next = PortfolioValuer.Round(nav * (1m + ((decimal)random.NextDouble() - 0.5m) / 25m));
                navs.Add(new NavPoint(date, next, navs.Count == 0 ? null : next - nav, navs.Count == 0 ? null : PortfolioValuer.Round((next - nav) * 100m / nav)));
                nav = next;
            }
            date = date.AddDays(1);
        }
        return PortfolioReport.Create(
            new Investor("Inv1", "Stress", "Here", []),
            new Portfolio("Inv1", $"P{index}", $"Portfolio {index}", false, 100m, [new Holding("IBM", 1m)]),
            navs,
            new AnalystOptions("reports", DatePeriod.DefaultStatisticsPeriod, ReportFormats.All, BenchmarkSeries.None, 0),
            null);
    }

    [Fact]
    public async Task Many_pages_drawn_concurrently_under_gc_pressure_come_out_whole_and_the_same_every_time()
    {
        var reports = Enumerable.Range(1, 12).Select(Report).ToList();
        var first = reports.Select(HtmlReport.Render).ToList();

        for (var round = 0; round < 4; round++)
        {
            var pages = new string[reports.Count];
            await Parallel.ForAsync(0, reports.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 * Environment.ProcessorCount },
                (i, _) =>
                {
                    pages[i] = HtmlReport.Render(reports[i]);
                    return ValueTask.CompletedTask;
                });
            GC.Collect();
            GC.WaitForPendingFinalizers();

            Assert.Equal(first, pages);
        }
        Assert.All(first, page => Assert.Equal(5, page.Split("<figure class=\"chart\"").Length - 1));
    }
}
