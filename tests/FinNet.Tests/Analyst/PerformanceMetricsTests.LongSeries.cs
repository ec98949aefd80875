using FinNet.Analyst;
using FinNet.Investors;
using MathNet.Numerics.Statistics;


namespace FinNet.Tests.Analyst;

/// <summary>A long seeded series, every figure recomputed a second way.</summary>
public partial class PerformanceMetricsTests
{
    /// <summary>A seeded 5,000-day random walk on trading days with a few flat days, as 6-place decimals.</summary>
    private static List<NavPoint> LongSeries()
    {
        var random = new Random(20261124);
        var series = new List<NavPoint>();
        var nav = 100m;
        var date = new DateOnly(2005, 3, 1);
        while (series.Count < 5000)
        {
            if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                series.Add(new NavPoint(date, nav, null, null));
                var step = random.Next(20) == 0 ? 0 : (random.NextDouble() - 0.49) * 0.04;
                nav = Math.Round(nav * (decimal)(1 + step), 6, MidpointRounding.ToEven);
            }
            date = date.AddDays(1);
        }
        return series;
    }

    [Fact]
    public void Long_series_moments_quantiles_and_tails_agree_with_mathnet_and_linq()
    {
        var series = LongSeries();
        var navs = series.Select(p => (double)p.NavPerShare).ToArray();
        var r = navs.Skip(1).Select((v, i) => (v / navs[i]) - 1).ToArray();

        var m = PerformanceMetrics.Compute(series, Defaults);

        Assert.Equal(4999, m.Returns.Count);
        Near(r.StandardDeviation() * Math.Sqrt(252), m.Risk.Volatility, 1e-10);
        Near(r.Mean() / r.StandardDeviation() * Math.Sqrt(252), m.Risk.Sharpe, 1e-10);
        Near(Statistics.Skewness(r), m.Tails.Skewness, 1e-9);
        Near(Statistics.Kurtosis(r), m.Tails.ExcessKurtosis, 1e-9);
        Near(r.QuantileCustom(0.05, QuantileDefinition.R7), m.Tails.ValueAtRisk95, 1e-12);
        Near(Math.Abs(r.QuantileCustom(0.95, QuantileDefinition.R7)) / Math.Abs(r.QuantileCustom(0.05, QuantileDefinition.R7)), m.Tails.TailRatio, 1e-10);
        Near(r.OrderBy(x => x).Take(((4999 - 1) * 5 / 100) + 1).Average(), m.Tails.ConditionalValueAtRisk95, 1e-12);
        Assert.Equal((r.Count(x => x > 0), r.Count(x => x < 0), r.Count(x => x == 0)), (m.WinLoss.WinningDays, m.WinLoss.LosingDays, m.WinLoss.FlatDays));
        Near(r.Where(x => x > 0).Sum() / -r.Where(x => x < 0).Sum(), m.Tails.Omega, 1e-10);
        Near(r.Average(x => x) / Math.Sqrt(r.Average(x => Math.Min(x, 0) * Math.Min(x, 0))) * Math.Sqrt(252), m.Risk.Sortino, 1e-10);
    }


    [Fact]
    public void Long_series_months_years_and_rolling_volatility_agree_with_month_end_navs_and_per_window_deviations()
    {
        var series = LongSeries();
        var navs = series.Select(p => (double)p.NavPerShare).ToArray();
        var r = navs.Skip(1).Select((v, i) => (v / navs[i]) - 1).ToArray();

        var m = PerformanceMetrics.Compute(series, Defaults);

        // A month's return is its last NAV over the previous month's last NAV (the first month: over the first NAV).
        var monthEnds = series.Select((p, i) => (p, i)).GroupBy(x => (x.p.AsOf.Year, x.p.AsOf.Month)).Select(g => g.Last()).ToList();
        var monthReturns = monthEnds.Select((end, k) => (double)end.p.NavPerShare / (double)(k == 0 ? series[0].NavPerShare : monthEnds[k - 1].p.NavPerShare) - 1).ToList();
        var table = m.Periods.MonthlyReturns.SelectMany(row => row.Months.Where(x => x is not null).Select(x => x!.Value)).ToList();
        Assert.Equal(monthReturns.Count, table.Count);
        for (var k = 0; k < table.Count; k++)
            Near(monthReturns[k], table[k], 1e-9);
        Near(monthReturns.Max(), m.Periods.BestMonth!.Return, 1e-9);
        Near(m.Returns.TotalReturn!.Value, m.Periods.MonthlyReturns.Aggregate(1.0, (g, row) => g * (1 + row.Total)) - 1, 1e-9);

        Assert.Equal(r.Length - 126 + 1, m.Periods.RollingVolatility.Count);
        foreach (var k in new[] { 0, 1, 1000, 2500, m.Periods.RollingVolatility.Count - 1 })
        {
            var window = r.Skip(k).Take(126).ToArray();
            Assert.Equal(series[k + 126].AsOf, m.Periods.RollingVolatility[k].Date);
            Near(window.StandardDeviation() * Math.Sqrt(252), m.Periods.RollingVolatility[k].Value, 1e-9);
        }
    }
}
