using FinNet.Investors;
using FinNet.Network;

namespace FinNet.Analyst;

/// <summary>
/// Everything the analyst reports about one portfolio: who it is, the analysed series, the original's five
/// statistics, the risk and return metrics (null with a <see cref="DataError"/> when a NAV is not positive: docs/metrics.md, "Inputs and conventions") and
/// the comparison with the benchmark (null for <c>--benchmark none</c>).
/// </summary>
public sealed record PortfolioReport(
    Investor Investor,
    Portfolio Portfolio,
    IReadOnlyList<NavPoint> Series,
    NavStatistics Statistics,
    PerformanceMetrics? Metrics,
    string? DataError,
    BenchmarkSeries? Benchmark,
    BenchmarkComparison? Comparison,
    AnalystOptions Options)
{
    public DateOnly? FirstDate => Series.Count > 0 ? Series[0].AsOf : null;

    public DateOnly? LastDate => Series.Count > 0 ? Series[^1].AsOf : null;

    public decimal? FinalNavPerShare => Series.Count > 0 ? Series[^1].NavPerShare : null;

    public static PortfolioReport Create(Investor investor, Portfolio portfolio, IReadOnlyList<NavPoint> stored, AnalystOptions options, BenchmarkSeries? benchmark)
    {
        var series = Analysed(stored, options);
        var analytics = new PortfolioAnalytics(options.Metrics, options.Period, benchmark?.Name, series.Count);
        var benchmarkValues = benchmark is null ? null : new BenchmarkValues(benchmark.Values);
        foreach (var point in series)
            analytics.Add(point, benchmarkValues?.On(point.AsOf));
        var (statistics, metrics, error, comparison) = (analytics.Statistics, analytics.Metrics, analytics.DataError, analytics.Comparison);
        return new PortfolioReport(investor, portfolio, series, statistics, metrics, error, benchmark, comparison, options);
    }

    /// <summary>
    /// The rows in <c>--from/--to</c>. A sub-range is analysed as a series of its own ("Sub-ranges" in docs/metrics.md): its first row is the
    /// starting value, so the change it carries from the day before the range takes no part.
    /// </summary>
    private static IReadOnlyList<NavPoint> Analysed(IReadOnlyList<NavPoint> stored, AnalystOptions options)
    {
        if (options.From is null && options.To is null)
            return stored;
        var rows = stored.Where(p => options.Includes(p.AsOf)).ToList();
        if (rows.Count > 0 && rows[0] != stored[0])
            rows[0] = rows[0] with { Change = null, ChangePercent = null };
        return rows;
    }

    /// <summary>The headline figures kept after the report is written (the series is not: memory stays one portfolio's).</summary>
    public PortfolioSummary Summarise(IReadOnlyList<string> files) => new(
        Portfolio.Key, Portfolio.Name, Investor.Name, Series.Count, FirstDate, LastDate, FinalNavPerShare,
        Metrics?.Returns.TotalReturn, Metrics?.Returns.Cagr, Metrics?.Risk.Volatility, Metrics?.Risk.Sharpe, Metrics?.Risk.Sortino, Metrics?.Risk.MaxDrawdown.Depth,
        Comparison?.Beta, DataError, files);
}

/// <summary>One portfolio's line in the summary and the HTML index.</summary>
public sealed record PortfolioSummary(
    string Key,
    string Name,
    string InvestorName,
    int Days,
    DateOnly? FirstDate,
    DateOnly? LastDate,
    decimal? FinalNavPerShare,
    double? TotalReturn,
    double? Cagr,
    double? Volatility,
    double? Sharpe,
    double? Sortino,
    double? MaxDrawdown,
    double? Beta,
    string? DataError,
    IReadOnlyList<string> Files);
