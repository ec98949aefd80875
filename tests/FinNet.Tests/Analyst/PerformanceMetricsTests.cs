using FinNet.Analyst;
using FinNet.Investors;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace FinNet.Tests.Analyst;

/// <summary>
/// Every metric of docs/metrics.md, against values worked out by hand (its worked example and small edge-case
/// series below) and, for a long series, recomputed a second way (naive O(n²) drawdown, MathNet's quantiles and
/// moments, month-end NAV ratios, per-window deviations).
/// </summary>
public partial class PerformanceMetricsTests
{
    internal static readonly MetricsOptions Defaults = new();

    internal static List<NavPoint> Series(DateOnly start, params decimal[] navs) =>
        navs.Select((nav, i) => new NavPoint(start.AddDays(i), nav, null, null)).ToList();

    internal static readonly List<NavPoint> WorkedExample =
    [
        new(new DateOnly(2023, 12, 28), 100m, null, null),
        new(new DateOnly(2023, 12, 29), 104m, null, null),
        new(new DateOnly(2024, 1, 2), 102m, null, null),
        new(new DateOnly(2024, 1, 3), 104m, null, null),
        new(new DateOnly(2024, 1, 4), 106m, null, null),
    ];

    /// <summary>Equal within <paramref name="relative"/> of the expected value's size (hand values are rounded to 6-7 digits).</summary>
    internal static void Near(double expected, double? actual, double relative = 2e-6)
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


    private static string? DataError(List<NavPoint> series)
    {
        var analytics = new PortfolioAnalytics(Defaults, DatePeriod.DefaultStatisticsPeriod);
        foreach (var point in series)
            analytics.Add(point);
        return analytics.DataError;
    }

    [Fact]
    public void A_non_positive_nav_is_a_data_error_named_by_date()
    {
        Assert.Null(DataError(WorkedExample));
        Assert.Equal("NAV per share 0 on 2024-01-02 is not positive", DataError(Series(new(2024, 1, 1), 100m, 0m, 5m)));
    }

}
