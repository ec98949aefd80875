namespace FinNet.Analyst;

/// <summary>
/// A portfolio against a benchmark NAV series (docs/metrics.md, "Versus a benchmark"), over the dates both have: beta, alpha (annualised arithmetic,
/// with the risk-free rate), correlation, tracking error and information ratio (annualised, no rate). Null where
/// undefined: a benchmark with zero variance has no beta, alpha or correlation.
/// </summary>
public sealed record BenchmarkComparison(string Benchmark, int Returns, double? Beta, double? Alpha, double? Correlation, double? TrackingError, double? InformationRatio)
{
    /// <param name="portfolio">Portfolio NAVs by date, ascending.</param>
    /// <param name="benchmark">Benchmark values by date, ascending.</param>
    public static BenchmarkComparison Compute(string name, IReadOnlyList<(DateOnly Date, double Value)> portfolio, IReadOnlyList<(DateOnly Date, double Value)> benchmark, MetricsOptions options)
    {
        var tracker = new Tracker(name, options);
        var values = new BenchmarkValues(benchmark);
        foreach (var (date, value) in portfolio)
        {
            if (values.On(date) is { } benchmarkValue)
                tracker.Add(value, benchmarkValue);
        }
        return tracker.Comparison;
    }

    /// <summary>The comparison kept up to date as same-date (portfolio, benchmark) values arrive in date order: O(1) per pair.</summary>
    internal sealed class Tracker(string name, MetricsOptions options)
    {
        private readonly RunningCoMoment _returns = new();
        private readonly RunningMoments _differences = new();
        private (double Portfolio, double Benchmark)? _previous;
        private double _sumPortfolio, _sumBenchmark;

        public void Add(double portfolio, double benchmark)
        {
            if (_previous is { } previous)
            {
                var (rp, rb) = ((portfolio / previous.Portfolio) - 1, (benchmark / previous.Benchmark) - 1);
                _returns.Add(rp, rb);
                _differences.Add(rp - rb);
                (_sumPortfolio, _sumBenchmark) = (_sumPortfolio + rp, _sumBenchmark + rb);
            }
            _previous = (portfolio, benchmark);
        }

        public BenchmarkComparison Comparison
        {
            get
            {
                var n = _returns.X.Count;
                if (n < 2)
                    return new BenchmarkComparison(name, n, null, null, null, null, null);
                var covariance = _returns.Sum / (n - 1);
                var varianceB = _returns.Y.M2 / (n - 1);
                var (stdP, stdB) = (_returns.X.SampleStd, Math.Sqrt(varianceB));
                double? beta = stdB > MetricsOptions.Epsilon ? covariance / varianceB : null;
                double? alpha = null;
                if (beta is { } slope)
                {
                    // Σ ((r_p - rf) - β (r_b - rf)), from the sums of the returns.
                    var riskFree = options.PerPeriod(options.RiskFreeRate);
                    var excess = (_sumPortfolio - (n * riskFree)) - (slope * (_sumBenchmark - (n * riskFree)));
                    alpha = options.PeriodsPerYear * excess / n;
                }
                var stdDifference = _differences.SampleStd;
                var annualRoot = Math.Sqrt(options.PeriodsPerYear);
                return new BenchmarkComparison(
                    name,
                    n,
                    beta,
                    alpha,
                    stdP > MetricsOptions.Epsilon && stdB > MetricsOptions.Epsilon ? covariance / (stdP * stdB) : null,
                    stdDifference * annualRoot,
                    stdDifference > MetricsOptions.Epsilon ? _differences.Mean / stdDifference * annualRoot : null);
            }
        }
    }
}

/// <summary>
/// A benchmark's values looked up by date, for callers that ask in ascending date order (each portfolio's series):
/// a cursor over the ascending list, so a whole series costs one merge.
/// </summary>
internal sealed class BenchmarkValues(IReadOnlyList<(DateOnly Date, double Value)> values)
{
    private int _next;

    /// <summary>The benchmark's value on <paramref name="date"/>, or null if it has none that day.</summary>
    public double? On(DateOnly date)
    {
        while (_next < values.Count && values[_next].Date < date)
            _next++;
        return _next < values.Count && values[_next].Date == date ? values[_next].Value : null;
    }
}
