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
    /// <summary>The five statistics of a whole series (ascending, unique dates), through <see cref="PortfolioAnalytics"/>.</summary>
    public static NavStatistics Compute(IReadOnlyList<NavPoint> series, DatePeriod period)
    {
        var analytics = new PortfolioAnalytics(new MetricsOptions(), period, capacity: series.Count);
        foreach (var point in series)
            analytics.Add(point);
        return analytics.Statistics;
    }

    /// <summary>Mean and sample (N - 1) standard deviation, exact; std is null for fewer than two values (Spark's stddev_samp).</summary>
    public static NavMoments Moments(IReadOnlyList<decimal> values)
    {
        var moments = new ExactMoments();
        foreach (var value in values)
            moments.Add(value);
        return moments.Moments(() => values);
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

/// <summary>
/// Statistics (3) and (4), mean and sample std of NAVs per share, exact: while every value has at most 6 decimal places
/// and fits, as sums of whole micro-units in Int128 (no rounding until the final division); otherwise the two-pass
/// decimal form over the kept values. One value: its own mean, as given.
/// </summary>
internal sealed class ExactMoments
{
    private const long MicroUnitsPerUnit = 1_000_000;
    private Int128 _sum, _squares;
    private bool _fits = true;
    private decimal _first;

    public int Count { get; private set; }

    public void Add(decimal value)
    {
        if (Count++ == 0)
            _first = value;
        if (!_fits)
            return;
        var scaled = value * MicroUnitsPerUnit;
        if (scaled != decimal.Truncate(scaled) || Math.Abs(scaled) > 1e15m)
        {
            _fits = false;
            return;
        }
        var units = (long)scaled;
        _sum += units;
        _squares += (Int128)units * units;
    }

    public NavMoments Moments(Func<IReadOnlyList<decimal>> values)
    {
        if (Count == 0)
            return new NavMoments(0, null, null);
        if (Count == 1)
            return new NavMoments(1, _first, null);
        Int128 n = Count;
        var numerator = (n * _squares) - (_sum * _sum);
        if (!_fits || numerator > (Int128)decimal.MaxValue)
            return DecimalMoments(values());
        var mean = (decimal)_sum / Count / MicroUnitsPerUnit;
        var variance = (decimal)numerator / (decimal)(n * (n - 1)) / (MicroUnitsPerUnit * MicroUnitsPerUnit);
        return new NavMoments(Count, mean, NavStatistics.SquareRoot(variance));
    }

    private static NavMoments DecimalMoments(IReadOnlyList<decimal> values)
    {
        var mean = 0m;
        foreach (var value in values)
            mean += value;
        mean /= values.Count;
        var squares = 0m;
        foreach (var value in values)
            squares += (value - mean) * (value - mean);
        return new NavMoments(values.Count, mean, NavStatistics.SquareRoot(squares / (values.Count - 1)));
    }
}
