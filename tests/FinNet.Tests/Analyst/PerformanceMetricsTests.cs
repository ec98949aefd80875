using FinNet.Analyst;
using FinNet.Investors;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace FinNet.Tests.Analyst;

/// <summary>
/// Every metric of ../shared/ANALYTICS.md §2, against values worked out by hand (the §4 example and small edge-case
/// series below) and, for a long series, recomputed a second way (naive O(n²) drawdown, MathNet's quantiles and
/// moments, month-end NAV ratios, per-window deviations).
/// </summary>
public class PerformanceMetricsTests
{
    private static readonly MetricsOptions Defaults = new();

    private static List<NavPoint> Series(DateOnly start, params decimal[] navs) =>
        navs.Select((nav, i) => new NavPoint(start.AddDays(i), nav, null, null)).ToList();

    private static readonly List<NavPoint> WorkedExample =
    [
        new(new DateOnly(2023, 12, 28), 100m, null, null),
        new(new DateOnly(2023, 12, 29), 104m, null, null),
        new(new DateOnly(2024, 1, 2), 102m, null, null),
        new(new DateOnly(2024, 1, 3), 104m, null, null),
        new(new DateOnly(2024, 1, 4), 106m, null, null),
    ];

    /// <summary>Equal within <paramref name="relative"/> of the expected value's size (hand values are rounded to 6-7 digits).</summary>
    private static void Near(double expected, double? actual, double relative = 2e-6)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual.Value) <= relative * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
    }

    [Fact]
    public void Worked_example_returns_volatility_sharpe_and_sortino()
    {
        var m = PerformanceMetrics.Compute(WorkedExample, Defaults);

        Assert.Equal(4, m.Returns.Count);
        Near(0.06, m.Returns.TotalReturn, 1e-12);
        Near(19.869888, m.Returns.Cagr);
        Near(0.392696, m.Risk.Volatility);
        Near(9.562844, m.Risk.Sharpe);
        Near(24.602375, m.Risk.Sortino);
    }

    [Fact]
    public void Worked_example_drawdown_and_calmar()
    {
        var m = PerformanceMetrics.Compute(WorkedExample, Defaults);

        Assert.Equal(new MaxDrawdown(102.0 / 104 - 1, new(2023, 12, 29), new(2024, 1, 2), new(2024, 1, 3), 5, 2, false), m.Risk.MaxDrawdown);
        Assert.Equal(new LongestDrawdown(5, new(2023, 12, 29), new(2024, 1, 3), false), m.Risk.LongestDrawdown);
        Near(1033.234, m.Risk.Calmar);
    }

    [Fact]
    public void Worked_example_tails_wins_omega_and_periods()
    {
        var m = PerformanceMetrics.Compute(WorkedExample, Defaults);

        Near(-0.0134615, m.Tails.ValueAtRisk95, 1e-7);
        Near(-0.0192308, m.Tails.ConditionalValueAtRisk95, 1e-7);
        Near(2.744202, m.Tails.TailRatio);
        Assert.Equal((0.75, 3, 1, 0), (m.WinLoss.WinRate, m.WinLoss.WinningDays, m.WinLoss.LosingDays, m.WinLoss.FlatDays));
        Near(0.0262795, m.WinLoss.AverageWin, 1e-7);
        Near(-0.0192308, m.WinLoss.AverageLoss, 1e-7);
        Near(1.366536, m.WinLoss.Payoff);
        Near(4.099608, m.Tails.Omega);
        Assert.Equal(new DateOnly(2023, 12, 29), m.Periods.BestDay!.Date);
        Near(0.04, m.Periods.BestDay.Value, 1e-12);
        Assert.Equal(new DateOnly(2024, 1, 2), m.Periods.WorstDay!.Date);
        Near(-2.0 / 104, m.Periods.WorstDay.Value, 1e-12);
        Assert.Equal("2023-12", m.Periods.BestMonth!.Period);
        Near(0.04, m.Periods.BestMonth.Return, 1e-12);
        Assert.Equal("2024-01", m.Periods.WorstMonth!.Period);
        Near(106.0 / 104 - 1, m.Periods.WorstMonth.Return, 1e-12);
        Assert.Equal(("2023", "2024"), (m.Periods.BestYear!.Period, m.Periods.WorstYear!.Period));
        Assert.Equal(2, m.Periods.MonthlyReturns.Count);
        Assert.Equal([null, null, null, null, null, null, null, null, null, null, null, m.Periods.MonthlyReturns[0].Total], m.Periods.MonthlyReturns[0].Months);
        Assert.Empty(m.Periods.RollingVolatility); // 4 returns < the 126-return window
    }

    [Fact]
    public void Worked_example_skewness_kurtosis_and_probabilistic_sharpe_agree_with_mathnet()
    {
        var m = PerformanceMetrics.Compute(WorkedExample, Defaults);
        double[] r = [0.04, -2.0 / 104, 2.0 / 102, 2.0 / 104];

        Near(Statistics.Skewness(r), m.Tails.Skewness, 1e-12);
        Near(Statistics.Kurtosis(r), m.Tails.ExcessKurtosis, 1e-12);
        // PSR by its published formula (raw kurtosis γ4 = G2 + 3): Φ(SR √(n-1) / √(1 - γ3 SR + (γ4 - 1)/4 SR²)).
        var sr = r.Mean() / r.StandardDeviation();
        var gamma4 = Statistics.Kurtosis(r) + 3;
        Near(Normal.CDF(0, 1, sr * Math.Sqrt(3) / Math.Sqrt(1 - (Statistics.Skewness(r) * sr) + ((gamma4 - 1) / 4 * sr * sr))), m.Risk.ProbabilisticSharpe, 1e-12);
    }

    [Fact]
    public void One_row_has_no_figures_at_all()
    {
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 2), 100m), Defaults);

        Assert.Equal(0, m.Returns.Count);
        Assert.All(new[] { m.Returns.TotalReturn, m.Returns.Cagr, m.Risk.Volatility, m.Risk.Sharpe, m.Risk.Sortino, m.Risk.Calmar, m.Tails.ValueAtRisk95, m.Tails.ConditionalValueAtRisk95, m.Tails.Skewness, m.Tails.ExcessKurtosis, m.WinLoss.WinRate, m.WinLoss.AverageWin, m.WinLoss.AverageLoss, m.WinLoss.Payoff, m.Tails.Omega, m.Tails.TailRatio, m.Risk.ProbabilisticSharpe }, Assert.Null);
        Assert.Equal(new MaxDrawdown(0, null, null, null, null, null, false), m.Risk.MaxDrawdown);
        Assert.Equal(new LongestDrawdown(0, null, null, false), m.Risk.LongestDrawdown);
        Assert.Equal((null, null, null, null), (m.Periods.BestDay, m.Periods.WorstDay, m.Periods.BestMonth, m.Periods.BestYear));
        Assert.Empty(m.Periods.MonthlyReturns);
    }

    [Fact]
    public void Two_rows_have_a_return_but_no_dispersion_figures()
    {
        // 100 -> 110 over 7 calendar days: one return of +10 %.
        var m = PerformanceMetrics.Compute([new(new(2024, 1, 1), 100m, null, null), new(new(2024, 1, 8), 110m, null, null)], Defaults);

        Assert.Equal(1, m.Returns.Count);
        Near(0.1, m.Returns.TotalReturn, 1e-12);
        Near(Math.Pow(1.1, 365.0 / 7) - 1, m.Returns.Cagr, 1e-12);
        Assert.All(new[] { m.Risk.Volatility, m.Risk.Sharpe, m.Risk.Sortino, m.Tails.Skewness, m.Tails.ExcessKurtosis, m.Risk.ProbabilisticSharpe, m.Tails.Omega, m.WinLoss.AverageLoss, m.WinLoss.Payoff, m.Risk.Calmar }, Assert.Null);
        Near(0.1, m.Tails.ValueAtRisk95, 1e-12);
        Near(0.1, m.Tails.ConditionalValueAtRisk95, 1e-12);
        Near(1, m.Tails.TailRatio, 1e-12);
        Assert.Equal((1.0, 1, 0, 0), (m.WinLoss.WinRate, m.WinLoss.WinningDays, m.WinLoss.LosingDays, m.WinLoss.FlatDays));
    }

    [Fact]
    public void A_flat_series_has_zero_volatility_and_no_ratios()
    {
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 100m, 100m, 100m, 100m), Defaults);

        Assert.Equal((0.0, 0.0, 0.0), (m.Returns.TotalReturn!.Value, m.Returns.Cagr!.Value, m.Risk.Volatility!.Value));
        Assert.All(new[] { m.Risk.Sharpe, m.Risk.Sortino, m.Risk.Calmar, m.Tails.TailRatio, m.Tails.Skewness, m.Tails.ExcessKurtosis, m.WinLoss.WinRate, m.WinLoss.AverageWin, m.WinLoss.AverageLoss, m.WinLoss.Payoff, m.Tails.Omega, m.Risk.ProbabilisticSharpe }, Assert.Null);
        Assert.Equal((0, 0, 4), (m.WinLoss.WinningDays, m.WinLoss.LosingDays, m.WinLoss.FlatDays));
        Assert.Equal(0.0, m.Tails.ValueAtRisk95);
        Assert.Equal(new MaxDrawdown(0, null, null, null, null, null, false), m.Risk.MaxDrawdown);
    }

    [Fact]
    public void A_series_that_only_rises_has_no_drawdown_no_losses_and_no_downside_ratios()
    {
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 101m, 103m, 106m, 110m), Defaults);

        Assert.Equal(new MaxDrawdown(0, null, null, null, null, null, false), m.Risk.MaxDrawdown);
        Assert.Equal(0, m.Risk.LongestDrawdown.CalendarDays);
        Assert.All(new[] { m.Risk.Sortino, m.Risk.Calmar, m.Tails.Omega, m.WinLoss.AverageLoss, m.WinLoss.Payoff }, Assert.Null);
        Assert.Equal(1.0, m.WinLoss.WinRate);
        Assert.NotNull(m.Risk.Sharpe);
    }

    [Fact]
    public void A_loss_on_the_first_return_draws_down_from_the_first_nav()
    {
        // 100, 90, 95, 100, 105 on consecutive days: peak day 0, trough day 1 (-10 %), back at 100 on day 3.
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 90m, 95m, 100m, 105m), Defaults);

        Assert.Equal(new MaxDrawdown(-0.1, new(2024, 1, 1), new(2024, 1, 2), new(2024, 1, 4), 3, 3, false), m.Risk.MaxDrawdown with { Depth = Math.Round(m.Risk.MaxDrawdown.Depth, 12) });
        Near(-0.1, m.Periods.WorstDay!.Value, 1e-12);
    }

    [Fact]
    public void An_unrecovered_drawdown_runs_to_the_last_date_and_is_flagged_ongoing()
    {
        // 100, 110, 99, 105, 104: from 110 (day 1) down to 99 (day 2), never back.
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 110m, 99m, 105m, 104m), Defaults);

        Assert.Equal(new MaxDrawdown(-0.1, new(2024, 1, 2), new(2024, 1, 3), null, 3, 3, true), m.Risk.MaxDrawdown with { Depth = Math.Round(m.Risk.MaxDrawdown.Depth, 12) });
        Assert.Equal(new LongestDrawdown(3, new(2024, 1, 2), null, true), m.Risk.LongestDrawdown);
    }

    [Fact]
    public void Equal_highs_make_the_last_of_them_the_peak_and_the_longest_episode_is_the_earlier_of_a_tie()
    {
        // 100, 110, 110, 100, 110, 100, 110: two 1-day dips, each from the last 110 before it.
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 110m, 110m, 100m, 110m, 100m, 110m), Defaults);

        Assert.Equal(new DateOnly(2024, 1, 3), m.Risk.MaxDrawdown.Peak);
        Assert.Equal(new DateOnly(2024, 1, 4), m.Risk.MaxDrawdown.Trough);
        Assert.Equal(new DateOnly(2024, 1, 5), m.Risk.MaxDrawdown.Recovery);
        Assert.Equal(new LongestDrawdown(2, new(2024, 1, 3), new(2024, 1, 5), false), m.Risk.LongestDrawdown);
    }

    [Fact]
    public void The_risk_free_rate_enters_sharpe_and_psr_but_not_sortino_or_omega()
    {
        var plain = PerformanceMetrics.Compute(WorkedExample, Defaults);
        var withRate = PerformanceMetrics.Compute(WorkedExample, new MetricsOptions(RiskFreeRate: 0.05));
        double[] r = [0.04, -2.0 / 104, 2.0 / 102, 2.0 / 104];
        var daily = Math.Pow(1.05, 1.0 / 252) - 1;

        Near((r.Mean() - daily) / r.StandardDeviation() * Math.Sqrt(252), withRate.Risk.Sharpe, 1e-12);
        Assert.True(withRate.Risk.ProbabilisticSharpe < plain.Risk.ProbabilisticSharpe);
        Assert.Equal((plain.Risk.Sortino, plain.Tails.Omega), (withRate.Risk.Sortino, withRate.Tails.Omega));
    }

    [Fact]
    public void Versus_a_benchmark_beta_alpha_correlation_and_tracking_agree_with_a_least_squares_fit()
    {
        var start = new DateOnly(2024, 1, 1);
        (DateOnly, double)[] portfolio = [(start, 100), (start.AddDays(1), 102), (start.AddDays(2), 101), (start.AddDays(3), 104), (start.AddDays(4), 103), (start.AddDays(6), 999)];
        (DateOnly, double)[] benchmark = [(start, 50), (start.AddDays(1), 50.5), (start.AddDays(2), 50.5), (start.AddDays(3), 51.5), (start.AddDays(4), 51), (start.AddDays(5), 52)];
        double[] rp = [0.02, 101.0 / 102 - 1, 104.0 / 101 - 1, 103.0 / 104 - 1];
        double[] rb = [0.01, 0, 51.5 / 50.5 - 1, 51.0 / 51.5 - 1];

        var c = BenchmarkComparison.Compute("market", portfolio, benchmark, Defaults);

        var (intercept, slope) = Fit.Line(rb, rp);
        var differences = rp.Zip(rb, (p, b) => p - b).ToArray();
        Assert.Equal(4, c.Returns); // day 5 and day 6 are in one series only
        Near(slope, c.Beta, 1e-12);
        Near(252 * intercept, c.Alpha, 1e-12);
        Near(Correlation.Pearson(rp, rb), c.Correlation, 1e-12);
        Near(differences.StandardDeviation() * Math.Sqrt(252), c.TrackingError, 1e-12);
        Near(differences.Mean() / differences.StandardDeviation() * Math.Sqrt(252), c.InformationRatio, 1e-12);
    }

    [Fact]
    public void A_benchmark_with_zero_variance_has_no_beta_alpha_or_correlation()
    {
        var start = new DateOnly(2024, 1, 1);
        (DateOnly, double)[] portfolio = [(start, 100), (start.AddDays(1), 102), (start.AddDays(2), 101), (start.AddDays(3), 104)];
        (DateOnly, double)[] flat = [(start, 100), (start.AddDays(1), 100), (start.AddDays(2), 100), (start.AddDays(3), 100)];
        double[] rp = [0.02, 101.0 / 102 - 1, 104.0 / 101 - 1];

        var c = BenchmarkComparison.Compute("flat", portfolio, flat, Defaults);

        Assert.Equal((null, null, null), (c.Beta, c.Alpha, c.Correlation));
        Near(rp.StandardDeviation() * Math.Sqrt(252), c.TrackingError, 1e-12);
        Near(rp.Mean() / rp.StandardDeviation() * Math.Sqrt(252), c.InformationRatio, 1e-12);
    }

    [Fact]
    public void A_portfolio_against_itself_has_beta_one_no_tracking_error_and_no_information_ratio()
    {
        var nav = WorkedExample.Select(p => (p.AsOf, (double)p.NavPerShare)).ToList();

        var c = BenchmarkComparison.Compute("self", nav, nav, Defaults);

        Near(1, c.Beta, 1e-12);
        Near(0, c.Alpha, 1e-12);
        Near(1, c.Correlation, 1e-12);
        Assert.Equal(0.0, c.TrackingError);
        Assert.Null(c.InformationRatio);
    }

    [Fact]
    public void A_non_positive_nav_is_a_data_error_named_by_date()
    {
        Assert.Null(PerformanceMetrics.CheckNavs(WorkedExample));
        Assert.Equal("NAV per share 0 on 2024-01-02 is not positive", PerformanceMetrics.CheckNavs(Series(new(2024, 1, 1), 100m, 0m, 5m)));
    }

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
    public void Long_series_drawdowns_agree_with_a_naive_quadratic_search()
    {
        var series = LongSeries();
        var v = series.Select(p => p.NavPerShare).ToArray();

        var m = PerformanceMetrics.Compute(series, Defaults);

        // Deepest: the worst V_j / V_i - 1 over all i <= j, its earliest trough and that trough's last prior high.
        var (depth, trough) = (0.0, -1);
        for (var j = 0; j < v.Length; j++)
        {
            for (var i = 0; i <= j; i++)
            {
                var d = ((double)v[j] / (double)v[i]) - 1;
                if (d < depth - 1e-15)
                    (depth, trough) = (d, j);
            }
        }
        var high = v.Take(trough + 1).Max();
        var peak = Array.LastIndexOf(v, high, trough);
        var recovery = Enumerable.Range(trough + 1, v.Length - trough - 1).Where(t => v[t] >= high).DefaultIfEmpty(-1).First();
        Near(depth, m.Risk.MaxDrawdown.Depth, 1e-12);
        Assert.Equal((series[peak].AsOf, series[trough].AsOf), (m.Risk.MaxDrawdown.Peak, m.Risk.MaxDrawdown.Trough));
        Assert.Equal(recovery < 0 ? null : series[recovery].AsOf, m.Risk.MaxDrawdown.Recovery);

        // Longest: for every day that is a high followed by a fall, calendar days to the first day back at that high.
        var longest = 0;
        for (var i = 0; i + 1 < v.Length; i++)
        {
            if (v[i] < v.Take(i + 1).Max() || v[i + 1] >= v[i])
                continue;
            var back = Enumerable.Range(i + 1, v.Length - i - 1).Where(t => v[t] >= v[i]).DefaultIfEmpty(v.Length - 1).First();
            longest = Math.Max(longest, series[back].AsOf.DayNumber - series[i].AsOf.DayNumber);
        }
        Assert.Equal(longest, m.Risk.LongestDrawdown.CalendarDays);
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
