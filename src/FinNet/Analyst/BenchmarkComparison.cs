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
        // Same-date rows only: a merge of the two ascending date lists.
        var (p, b) = (new List<double>(), new List<double>());
        for (int i = 0, j = 0; i < portfolio.Count && j < benchmark.Count;)
        {
            var order = portfolio[i].Date.CompareTo(benchmark[j].Date);
            if (order == 0)
            {
                p.Add(portfolio[i++].Value);
                b.Add(benchmark[j++].Value);
            }
            else if (order < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        var rp = ReturnStatistics.ReturnsOf(p);
        var rb = ReturnStatistics.ReturnsOf(b);
        var n = rp.Length;
        if (n < 2)
            return new BenchmarkComparison(name, n, null, null, null, null, null);

        var (meanP, meanB) = (ReturnStatistics.Mean(rp), ReturnStatistics.Mean(rb));
        var (covariance, varianceB) = (0.0, 0.0);
        var differences = new double[n];
        for (var t = 0; t < n; t++)
        {
            covariance += (rp[t] - meanP) * (rb[t] - meanB);
            varianceB += (rb[t] - meanB) * (rb[t] - meanB);
            differences[t] = rp[t] - rb[t];
        }
        (covariance, varianceB) = (covariance / (n - 1), varianceB / (n - 1));
        var (stdP, stdB) = (ReturnStatistics.SampleStd(rp, meanP), Math.Sqrt(varianceB));
        double? beta = stdB > MetricsOptions.Epsilon ? covariance / varianceB : null;

        double? alpha = null;
        if (beta is { } slope)
        {
            var riskFree = options.PerPeriod(options.RiskFreeRate);
            var excess = 0.0;
            for (var t = 0; t < n; t++)
                excess += (rp[t] - riskFree) - (slope * (rb[t] - riskFree));
            alpha = options.PeriodsPerYear * excess / n;
        }
        var meanDifference = ReturnStatistics.Mean(differences);
        var stdDifference = ReturnStatistics.SampleStd(differences, meanDifference);
        var annualRoot = Math.Sqrt(options.PeriodsPerYear);
        return new BenchmarkComparison(
            name,
            n,
            beta,
            alpha,
            stdP > MetricsOptions.Epsilon && stdB > MetricsOptions.Epsilon ? covariance / (stdP * stdB) : null,
            stdDifference * annualRoot,
            stdDifference > MetricsOptions.Epsilon ? meanDifference / stdDifference * annualRoot : null);
    }
}
