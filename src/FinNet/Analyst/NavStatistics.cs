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
/// The original system's five statistics of one NAV series, reproduced exactly (docs/metrics.md, "The original five statistics"):
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
        // One pass in date order: a year's and a month's rows are contiguous, so each group closes when the next
        // begins (this runs once per portfolio over thousands of rows; LINQ grouping was half its cost).
        ChangeExtremes? overall = null;
        var byYear = new List<YearChangeExtremes>();
        var monthly = new List<MonthlyMeanNav>();
        var (year, yearExtremes) = (0, (ChangeExtremes?)null);
        var (month, monthSum, monthCount) = ((Year: 0, Month: 0), 0m, 0);
        var navs = new decimal[series.Count];
        var inPeriod = new List<decimal>();
        for (var i = 0; i < series.Count; i++)
        {
            var point = series[i];
            navs[i] = point.NavPerShare;
            if (period.Contains(point.AsOf))
                inPeriod.Add(point.NavPerShare);
            var key = (point.AsOf.Year, point.AsOf.Month);
            if (key != month)
            {
                if (monthCount > 0)
                    monthly.Add(new MonthlyMeanNav(month.Year, month.Month, monthSum / monthCount));
                (month, monthSum, monthCount) = (key, 0m, 0);
            }
            (monthSum, monthCount) = (monthSum + point.NavPerShare, monthCount + 1);

            if (point.Change is not { } change || point.ChangePercent is not { } percent)
                continue;
            if (point.AsOf.Year != year)
            {
                if (yearExtremes is not null)
                    byYear.Add(new YearChangeExtremes(year, yearExtremes));
                (year, yearExtremes) = (point.AsOf.Year, null);
            }
            yearExtremes = Widen(yearExtremes, change, percent);
            overall = Widen(overall, change, percent);
        }
        if (monthCount > 0)
            monthly.Add(new MonthlyMeanNav(month.Year, month.Month, monthSum / monthCount));
        if (yearExtremes is not null)
            byYear.Add(new YearChangeExtremes(year, yearExtremes));
        monthly.Reverse(); // most recent first
        return new NavStatistics(overall, byYear, Moments(navs), period, Moments(inPeriod), monthly);
    }

    private static ChangeExtremes Widen(ChangeExtremes? extremes, decimal change, decimal percent) => extremes is null
        ? new ChangeExtremes(change, change, percent, percent)
        : new ChangeExtremes(
            Math.Max(extremes.MaxChange, change), Math.Min(extremes.MinChange, change),
            Math.Max(extremes.MaxChangePercent, percent), Math.Min(extremes.MinChangePercent, percent));

    /// <summary>Mean and sample (N - 1) standard deviation; std is null for fewer than two values (Spark's stddev_samp).</summary>
    public static NavMoments Moments(IReadOnlyList<decimal> values)
    {
        if (values.Count == 0)
            return new NavMoments(0, null, null);
        if (values.Count == 1)
            return new NavMoments(1, values[0], null);
        return MicroUnitMoments(values) ?? DecimalMoments(values);
    }

    /// <summary>
    /// The exact variance of values with at most 6 decimal places (every stored NAV): as whole micro-units in Int128,
    /// <c>(n Σx² - (Σx)²) / (n (n - 1))</c> has no rounding at all until the final division, and it is several times
    /// faster than decimal arithmetic. Null when a value does not fit (more places, or too large): then the
    /// two-pass decimal form is used.
    /// </summary>
    private static NavMoments? MicroUnitMoments(IReadOnlyList<decimal> values)
    {
        const long MicroUnitsPerUnit = 1_000_000;
        Int128 sum = 0, squares = 0;
        foreach (var value in values)
        {
            var scaled = value * MicroUnitsPerUnit;
            if (scaled != decimal.Truncate(scaled) || Math.Abs(scaled) > 1e15m)
                return null;
            var units = (long)scaled;
            sum += units;
            squares += (Int128)units * units;
        }
        Int128 n = values.Count;
        var numerator = (n * squares) - (sum * sum);
        if (numerator > (Int128)decimal.MaxValue)
            return null;
        var mean = (decimal)sum / values.Count / MicroUnitsPerUnit;
        var variance = (decimal)numerator / (decimal)(n * (n - 1)) / (MicroUnitsPerUnit * MicroUnitsPerUnit);
        return new NavMoments(values.Count, mean, SquareRoot(variance));
    }

    private static NavMoments DecimalMoments(IReadOnlyList<decimal> values)
    {
        var mean = Mean(values);
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
