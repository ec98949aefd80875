using FinNet.Analyst;
using FinNet.Investors;

namespace FinNet.Tests.Analyst;

public class NavStatisticsTests
{
    // docs/metrics.md, "Worked example": five NAVs per share, 2023-12-28 100, 12-29 104, 2024-01-02 102, 01-03 104, 01-04 106.
    private static readonly IReadOnlyList<NavPoint> WorkedExample =
    [
        new(new DateOnly(2023, 12, 28), 100m, null, null),
        new(new DateOnly(2023, 12, 29), 104m, 4m, 4m),
        new(new DateOnly(2024, 1, 2), 102m, -2m, -1.923077m),
        new(new DateOnly(2024, 1, 3), 104m, 2m, 1.960784m),
        new(new DateOnly(2024, 1, 4), 106m, 2m, 1.923077m),
    ];

    private static readonly DatePeriod Year2024 = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));

    [Fact]
    public void Worked_example_full_history_extremes_skip_the_first_row()
    {
        var stats = NavStatistics.Compute(WorkedExample, Year2024);

        Assert.Equal(new ChangeExtremes(4m, -2m, 4m, -1.923077m), stats.Overall);
    }

    [Fact]
    public void Worked_example_yearly_extremes()
    {
        var stats = NavStatistics.Compute(WorkedExample, Year2024);

        Assert.Equal(
            [new YearChangeExtremes(2023, new ChangeExtremes(4m, 4m, 4m, 4m)), new YearChangeExtremes(2024, new ChangeExtremes(2m, -2m, 1.960784m, -1.923077m))],
            stats.ByYear);
    }

    [Fact]
    public void Worked_example_mean_and_sample_std()
    {
        var stats = NavStatistics.Compute(WorkedExample, Year2024);

        // mean 516 / 5 = 103.2; squares of deviations sum to 20.8; / 4 = 5.2; std = √5.2 = 2.28035085019827595827209805...
        Assert.Equal(5, stats.FullHistory.Count);
        Assert.Equal(103.2m, stats.FullHistory.Mean);
        Assert.Equal(2.28035085019827595827m, Math.Round(stats.FullHistory.StandardDeviation!.Value, 20));
        // 2024 keeps 102, 104, 106: mean 104, std √((4 + 0 + 4) / 2) = 2.
        Assert.Equal(new NavMoments(3, 104m, 2m), stats.InPeriod with { StandardDeviation = Math.Round(stats.InPeriod.StandardDeviation!.Value, 20) });
    }

    [Fact]
    public void Worked_example_monthly_means_newest_first()
    {
        var stats = NavStatistics.Compute(WorkedExample, Year2024);

        Assert.Equal([new MonthlyMeanNav(2024, 1, 104m), new MonthlyMeanNav(2023, 12, 102m)], stats.MonthlyMeans);
    }

    [Fact]
    public void One_row_has_a_mean_and_no_deviation_and_no_change_statistics()
    {
        var stats = NavStatistics.Compute(WorkedExample.Take(1).ToList(), Year2024);

        Assert.Null(stats.Overall);
        Assert.Empty(stats.ByYear);
        Assert.Equal(new NavMoments(1, 100m, null), stats.FullHistory);
        Assert.Equal(new NavMoments(0, null, null), stats.InPeriod);
    }

    [Fact]
    public void A_year_whose_only_row_is_the_first_is_omitted()
    {
        var series = WorkedExample.Skip(1).Select((p, i) => i == 0 ? p with { Change = null, ChangePercent = null } : p).ToList();

        var stats = NavStatistics.Compute(series, Year2024);

        Assert.Equal([2024], stats.ByYear.Select(y => y.Year));
    }

    [Fact]
    public void Long_series_std_equals_a_two_pass_double_computation()
    {
        var random = new Random(12345);
        var navs = Enumerable.Range(0, 5000).Select(_ => Math.Round(50m + (decimal)random.NextDouble() * 100m, 6)).ToList();

        var moments = NavStatistics.Moments(navs);

        var values = navs.Select(v => (double)v).ToList();
        var mean = values.Sum() / values.Count;
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        Assert.Equal(mean, (double)moments.Mean!.Value, 1e-9);
        Assert.Equal(Math.Sqrt(variance), (double)moments.StandardDeviation!.Value, 1e-9);
    }

    [Fact]
    public void Square_root_is_exact_to_decimal_precision()
    {
        Assert.Equal(2m, NavStatistics.SquareRoot(4m));
        var root = NavStatistics.SquareRoot(2m);
        Assert.True(Math.Abs(root * root - 2m) < 1e-26m);
    }
}
