using FinNet.Investors;

namespace FinNet.Analyst;

/// <summary>Max and min of the daily change (per share) and change percent over a set of rows.</summary>
public sealed record ChangeExtremes(decimal MaxChange, decimal MinChange, decimal MaxChangePercent, decimal MinChangePercent);

/// <summary>Statistic (2) for one calendar year.</summary>
public sealed record YearChangeExtremes(int Year, ChangeExtremes Extremes);

/// <summary>Mean and sample standard deviation of NAV per share; null where undefined (no rows; one row for the deviation).</summary>
public sealed record NavMoments(int Count, decimal? Mean, decimal? StandardDeviation);

/// <summary>Statistic (5) for one calendar month.</summary>
public sealed record MonthlyMeanNav(int Year, int Month, decimal Mean);

/// <summary>
/// The original system's five statistics of one NAV series, reproduced exactly (../shared/ANALYTICS.md §1):
/// (1) max/min daily change and change percent, (2) the same per year, (3) mean and sample std of NAV per share,
/// (4) the same over a period, (5) mean NAV per share per month, most recent first.
/// </summary>
/// <remarks>
/// Exact decimals throughout; the standard deviation is the square root of the exact decimal variance. The first
/// row has no change and takes no part in (1) and (2) (Spark's aggregates skip NULL); a year whose only row is
/// the first has no change statistics and is omitted. <see cref="Overall"/> is null when no row has a change.
/// </remarks>
public sealed record NavStatistics(
    ChangeExtremes? Overall,
    IReadOnlyList<YearChangeExtremes> ByYear,
    NavMoments FullHistory,
    DatePeriod Period,
    NavMoments InPeriod,
    IReadOnlyList<MonthlyMeanNav> MonthlyMeans)
{
    public static NavStatistics Compute(IReadOnlyList<NavPoint> series, DatePeriod period)
    {
        var changed = series.Where(p => p.Change is not null && p.ChangePercent is not null).ToList();
        var byYear = changed
            .GroupBy(p => p.AsOf.Year)
            .OrderBy(g => g.Key)
            .Select(g => new YearChangeExtremes(g.Key, Extremes(g.ToList())!))
            .ToList();
        var monthly = series
            .GroupBy(p => (p.AsOf.Year, p.AsOf.Month))
            .OrderByDescending(g => g.Key)
            .Select(g => new MonthlyMeanNav(g.Key.Year, g.Key.Month, Mean(g.Select(p => p.NavPerShare).ToList())))
            .ToList();
        return new NavStatistics(
            Extremes(changed),
            byYear,
            Moments(series.Select(p => p.NavPerShare).ToList()),
            period,
            Moments(series.Where(p => period.Contains(p.AsOf)).Select(p => p.NavPerShare).ToList()),
            monthly);
    }

    private static ChangeExtremes? Extremes(List<NavPoint> rows) => rows.Count == 0
        ? null
        : new ChangeExtremes(
            rows.Max(p => p.Change!.Value), rows.Min(p => p.Change!.Value),
            rows.Max(p => p.ChangePercent!.Value), rows.Min(p => p.ChangePercent!.Value));

    /// <summary>Mean and sample (N - 1) standard deviation; std is null for fewer than two values (Spark's stddev_samp).</summary>
    public static NavMoments Moments(IReadOnlyList<decimal> values)
    {
        if (values.Count == 0)
            return new NavMoments(0, null, null);
        var mean = Mean(values);
        if (values.Count == 1)
            return new NavMoments(1, mean, null);
        var squares = 0m;
        foreach (var value in values)
            squares += (value - mean) * (value - mean);
        return new NavMoments(values.Count, mean, SquareRoot(squares / (values.Count - 1)));
    }

    private static decimal Mean(IReadOnlyList<decimal> values)
    {
        var sum = 0m;
        foreach (var value in values)
            sum += value;
        return sum / values.Count;
    }

    /// <summary>√ of a non-negative decimal to decimal precision: a double first guess, then Newton steps in decimal.</summary>
    public static decimal SquareRoot(decimal value)
    {
        if (value <= 0)
            return 0;
        var root = (decimal)Math.Sqrt((double)value);
        for (var i = 0; i < 3; i++)
            root = (root + value / root) / 2;
        return root;
    }
}
