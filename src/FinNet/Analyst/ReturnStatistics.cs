namespace FinNet.Analyst;

/// <summary>
/// General statistics of return series, shared by the metrics, the benchmark comparison and the charts: simple
/// returns, mean, sample standard deviation and the type-7 quantile (docs/metrics.md, "Notation").
/// </summary>
public static class ReturnStatistics
{
    /// <summary>Daily simple returns <c>V_t / V_{t-1} - 1</c>, t = 1..N-1.</summary>
    public static double[] ReturnsOf(IReadOnlyList<double> navs)
    {
        var returns = new double[Math.Max(0, navs.Count - 1)];
        for (var t = 1; t < navs.Count; t++)
            returns[t - 1] = (navs[t] / navs[t - 1]) - 1;
        return returns;
    }

    public static double Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            return 0;
        var sum = 0.0;
        foreach (var value in values)
            sum += value;
        return sum / values.Count;
    }

    /// <summary>Sample (n - 1) standard deviation, two-pass; 0 for fewer than two values (callers check n first).</summary>
    public static double SampleStd(IReadOnlyList<double> values, double mean)
    {
        if (values.Count < 2)
            return 0;
        var squares = 0.0;
        foreach (var value in values)
            squares += (value - mean) * (value - mean);
        return Math.Sqrt(squares / (values.Count - 1));
    }

    /// <summary>Hyndman-Fan type 7 quantile of ascending <paramref name="sorted"/>: linear between order statistics at (n - 1) p.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        var position = (sorted.Count - 1) * p;
        var below = (int)Math.Floor(position);
        return below + 1 < sorted.Count
            ? sorted[below] + ((position - below) * (sorted[below + 1] - sorted[below]))
            : sorted[below];
    }
}
