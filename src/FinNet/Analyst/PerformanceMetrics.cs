using FinNet.Investors;

namespace FinNet.Analyst;

/// <summary>
/// Risk and return metrics of one NAV-per-share series, exactly as docs/metrics.md defines them.
/// Every figure that is undefined for the series (too few points, zero dispersion, no losses, ...) is null, never
/// 0, NaN or infinity. Returns are ratios of NAVs computed in double; the first row is the starting value and has
/// no return (docs/metrics.md, "Inputs and conventions").
/// </summary>
public sealed record PerformanceMetrics(
    ReturnMetrics Returns,
    RiskMetrics Risk,
    TailMetrics Tails,
    WinLossMetrics WinLoss,
    PeriodMetrics Periods)
{
    /// <summary>The metrics of a whole series (ascending, unique dates, every NAV positive: see <see cref="PortfolioAnalytics.DataError"/>), through <see cref="PortfolioAnalytics"/>.</summary>
    public static PerformanceMetrics Compute(IReadOnlyList<NavPoint> series, MetricsOptions options)
    {
        var analytics = new PortfolioAnalytics(options, DatePeriod.DefaultStatisticsPeriod, capacity: series.Count);
        foreach (var point in series)
            analytics.Add(point);
        return analytics.Metrics ?? throw new ArgumentException(analytics.DataError, nameof(series));
    }
}
