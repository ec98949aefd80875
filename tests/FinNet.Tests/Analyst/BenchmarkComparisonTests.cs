using FinNet.Analyst;
using MathNet.Numerics;
using MathNet.Numerics.Statistics;


namespace FinNet.Tests.Analyst;

/// <summary>Versus a benchmark (docs/metrics.md, "Versus a benchmark"), against hand values and a least-squares fit.</summary>
public class BenchmarkComparisonTests
{
    [Fact]
    public void Versus_a_benchmark_beta_alpha_correlation_and_tracking_agree_with_a_least_squares_fit()
    {
        var start = new DateOnly(2024, 1, 1);
        (DateOnly, double)[] portfolio = [(start, 100), (start.AddDays(1), 102), (start.AddDays(2), 101), (start.AddDays(3), 104), (start.AddDays(4), 103), (start.AddDays(6), 999)];
        (DateOnly, double)[] benchmark = [(start, 50), (start.AddDays(1), 50.5), (start.AddDays(2), 50.5), (start.AddDays(3), 51.5), (start.AddDays(4), 51), (start.AddDays(5), 52)];
        double[] rp = [0.02, 101.0 / 102 - 1, 104.0 / 101 - 1, 103.0 / 104 - 1];
        double[] rb = [0.01, 0, 51.5 / 50.5 - 1, 51.0 / 51.5 - 1];

        var c = BenchmarkComparison.Compute("market", portfolio, benchmark, PerformanceMetricsTests.Defaults);

        var (intercept, slope) = Fit.Line(rb, rp);
        var differences = rp.Zip(rb, (p, b) => p - b).ToArray();
        Assert.Equal(4, c.Returns); // day 5 and day 6 are in one series only
        PerformanceMetricsTests.Near(slope, c.Beta, 1e-12);
        PerformanceMetricsTests.Near(252 * intercept, c.Alpha, 1e-12);
        PerformanceMetricsTests.Near(Correlation.Pearson(rp, rb), c.Correlation, 1e-12);
        PerformanceMetricsTests.Near(differences.StandardDeviation() * Math.Sqrt(252), c.TrackingError, 1e-12);
        PerformanceMetricsTests.Near(differences.Mean() / differences.StandardDeviation() * Math.Sqrt(252), c.InformationRatio, 1e-12);
    }

    [Fact]
    public void A_benchmark_with_zero_variance_has_no_beta_alpha_or_correlation()
    {
        var start = new DateOnly(2024, 1, 1);
        (DateOnly, double)[] portfolio = [(start, 100), (start.AddDays(1), 102), (start.AddDays(2), 101), (start.AddDays(3), 104)];
        (DateOnly, double)[] flat = [(start, 100), (start.AddDays(1), 100), (start.AddDays(2), 100), (start.AddDays(3), 100)];
        double[] rp = [0.02, 101.0 / 102 - 1, 104.0 / 101 - 1];

        var c = BenchmarkComparison.Compute("flat", portfolio, flat, PerformanceMetricsTests.Defaults);

        Assert.Equal((null, null, null), (c.Beta, c.Alpha, c.Correlation));
        PerformanceMetricsTests.Near(rp.StandardDeviation() * Math.Sqrt(252), c.TrackingError, 1e-12);
        PerformanceMetricsTests.Near(rp.Mean() / rp.StandardDeviation() * Math.Sqrt(252), c.InformationRatio, 1e-12);
    }

    [Fact]
    public void A_portfolio_against_itself_has_beta_one_no_tracking_error_and_no_information_ratio()
    {
        var nav = PerformanceMetricsTests.WorkedExample.Select(p => (p.AsOf, (double)p.NavPerShare)).ToList();

        var c = BenchmarkComparison.Compute("self", nav, nav, PerformanceMetricsTests.Defaults);

        PerformanceMetricsTests.Near(1, c.Beta, 1e-12);
        PerformanceMetricsTests.Near(0, c.Alpha, 1e-12);
        PerformanceMetricsTests.Near(1, c.Correlation, 1e-12);
        Assert.Equal(0.0, c.TrackingError);
        Assert.Null(c.InformationRatio);
    }

}
