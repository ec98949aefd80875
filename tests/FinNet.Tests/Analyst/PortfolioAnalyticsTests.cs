using System.Text.Json;
using FinNet.Analyst;
using FinNet.Investors;

namespace FinNet.Tests.Analyst;

/// <summary>
/// The incremental analyst, fed one NAV at a time, against the whole-series computation (<see cref="BatchReference"/>)
/// over the same prefix: the five statistics exactly, every other figure within |a - b| ≤ 1e-9 · max(|a|, |b|) + 1e-12
/// (or both null), at every NAV of short and edge-case series and at many checkpoints of a long seeded one.
/// </summary>
public class PortfolioAnalyticsTests
{
    private static readonly DatePeriod Period = new(new DateOnly(2003, 1, 1), new DateOnly(2005, 6, 30));

    /// <summary>Seeded trading-day walk with flat days, crashes that never recover at the end, and its changes as stored.</summary>
    private static List<NavPoint> Walk(int seed, int days, DateOnly start, decimal first = 100m)
    {
        var random = new Random(seed);
        var series = new List<NavPoint>();
        var nav = first;
        for (var date = start; series.Count < days; date = date.AddDays(1))
        {
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                continue;
            var previous = series.Count > 0 ? series[^1].NavPerShare : (decimal?)null;
            series.Add(previous is { } p
                ? new NavPoint(date, nav, nav - p, Math.Round(100 * ((nav / p) - 1), 6))
                : new NavPoint(date, nav, null, null));
            var step = random.Next(15) == 0 ? 0 : (random.NextDouble() - 0.495) * 0.05;
            if (series.Count > days * 3 / 4)
                step -= 0.002; // a drawdown still open when the series ends
            nav = Math.Max(0.000001m, Math.Round(nav * (decimal)(1 + step), 6, MidpointRounding.ToEven));
        }
        return series;
    }

    /// <summary>A benchmark on most of the portfolio's dates (every 7th missing).</summary>
    private static List<(DateOnly Date, double Value)> Benchmark(IReadOnlyList<NavPoint> series, int seed)
    {
        var random = new Random(seed);
        var values = new List<(DateOnly, double)>();
        var value = 50.0;
        foreach (var (point, i) in series.Select((p, i) => (p, i)))
        {
            value *= 1 + ((random.NextDouble() - 0.5) * 0.03);
            if (i % 7 != 3)
                values.Add((point.AsOf, value));
        }
        return values;
    }

    [Fact]
    public void A_long_seeded_series_equals_the_whole_series_computation_at_every_checkpoint()
    {
        var series = Walk(20261203, 1600, new DateOnly(2002, 1, 2));
        var benchmark = Benchmark(series, 7);
        var options = new MetricsOptions(RiskFreeRate: 0.02);
        var analytics = new PortfolioAnalytics(options, Period, "market");
        var lookup = benchmark.ToDictionary(b => b.Date, b => b.Value);
        var checkedAt = 0;
        for (var i = 0; i < series.Count; i++)
        {
            analytics.Add(series[i], lookup.TryGetValue(series[i].AsOf, out var b) ? b : null);
            if (i < 200 || i % 53 == 0 || i == series.Count - 1)
            {
                AssertEqualToBatch(analytics, series.Take(i + 1).ToList(), benchmark, options, "seeded walk");
                checkedAt++;
            }
        }
        Assert.True(checkedAt > 220);
        Assert.True(analytics.Metrics!.Risk.MaxDrawdown.Ongoing); // the walk's last quarter falls
        Assert.NotEmpty(analytics.Metrics.Periods.RollingVolatility);
    }

    [Theory]
    [InlineData("one NAV", new[] { 100.0 })]
    [InlineData("flat", new[] { 100.0, 100, 100, 100, 100, 100 })]
    [InlineData("unrecovered drawdown", new[] { 100.0, 110, 99, 105, 104 })]
    [InlineData("equal highs", new[] { 100.0, 110, 110, 100, 110, 100, 110 })]
    [InlineData("only gains", new[] { 100.0, 101, 103, 106, 110 })]
    [InlineData("recovered then deeper", new[] { 100.0, 90, 95, 100, 105, 80, 85, 120 })]
    public void Edge_case_series_equal_the_whole_series_computation_after_every_nav(string name, double[] navs)
    {
        var start = new DateOnly(2004, 12, 27);
        var series = navs.Select((v, i) => new NavPoint(start.AddDays(i * 3), (decimal)v, null, null)).ToList();
        var flatBenchmark = series.Select(p => (p.AsOf, 100.0)).ToList(); // zero variance: no beta, alpha or correlation
        var options = new MetricsOptions(RollingWindow: 3);
        var analytics = new PortfolioAnalytics(options, Period, "flat");
        for (var i = 0; i < series.Count; i++)
        {
            analytics.Add(series[i], 100.0);
            AssertEqualToBatch(analytics, series.Take(i + 1).ToList(), flatBenchmark, options, name);
        }
        Assert.Null(analytics.Comparison!.Beta);
    }

    [Fact]
    public void A_non_positive_nav_stops_the_metrics_with_a_data_error_and_the_five_statistics_go_on()
    {
        var series = Walk(5, 40, new DateOnly(2004, 1, 5));
        series[20] = series[20] with { NavPerShare = 0m };
        var analytics = new PortfolioAnalytics(new MetricsOptions(), Period);
        foreach (var point in series)
            analytics.Add(point);

        Assert.Equal($"NAV per share 0 on {series[20].AsOf:yyyy-MM-dd} is not positive", analytics.DataError);
        Assert.Equal(BatchReference.CheckNavs(series), analytics.DataError);
        Assert.Null(analytics.Metrics);
        Assert.Equal(Json(BatchReference.Statistics(series, Period)), Json(analytics.Statistics));
    }

    [Fact]
    public void A_nav_that_does_not_follow_the_last_date_is_refused()
    {
        var analytics = new PortfolioAnalytics(new MetricsOptions(), Period);
        analytics.Add(new NavPoint(new DateOnly(2024, 1, 2), 100m, null, null));
        Assert.Throws<ArgumentException>(() => analytics.Add(new NavPoint(new DateOnly(2024, 1, 2), 101m, 1m, 1m)));
    }

    private static void AssertEqualToBatch(PortfolioAnalytics analytics, List<NavPoint> prefix, List<(DateOnly Date, double Value)> benchmark, MetricsOptions options, string series)
    {
        var at = $"{series}, after {prefix.Count} NAVs";
        Assert.True(Json(BatchReference.Statistics(prefix, Period)) == Json(analytics.Statistics), $"five statistics differ {at}");
        ReportTolerance.AssertEqual(JsonSerializer.SerializeToNode(BatchReference.Metrics(prefix, options)), JsonSerializer.SerializeToNode(analytics.Metrics), at);
        var comparison = BatchReference.Comparison("b", prefix.Select(p => (p.AsOf, (double)p.NavPerShare)).ToList(), benchmark, options);
        ReportTolerance.AssertEqual(JsonSerializer.SerializeToNode(comparison with { Benchmark = analytics.Comparison!.Benchmark }), JsonSerializer.SerializeToNode(analytics.Comparison), at);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
