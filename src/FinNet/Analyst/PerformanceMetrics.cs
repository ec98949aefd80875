using FinNet.Investors;
using MathNet.Numerics.Distributions;

namespace FinNet.Analyst;

/// <summary>A value with its date (best day, a rolling-volatility point, ...).</summary>
public sealed record DatedValue(DateOnly Date, double Value);

/// <summary>A compounded return over a calendar period, labelled <c>2024-01</c> (month) or <c>2024</c> (year).</summary>
public sealed record PeriodReturn(string Period, double Return);

/// <summary>One year of the monthly returns table: twelve months (null where the month has no return) and the compounded year.</summary>
public sealed record MonthlyReturnsRow(int Year, IReadOnlyList<double?> Months, double Total);

/// <summary>
/// The deepest drawdown (R13): depth as a negative fraction, the peak (last date at the high), the trough (first date
/// at the low), the recovery (first date back at or above the peak; null if not yet) and the duration from the peak to
/// the recovery, or to the last date when <see cref="Ongoing"/>. Depth 0 and null dates when never under water.
/// </summary>
public sealed record MaxDrawdown(double Depth, DateOnly? Peak, DateOnly? Trough, DateOnly? Recovery, int? CalendarDays, int? TradingDays, bool Ongoing);

/// <summary>The longest drawdown episode in calendar days (R13): from its high to the recovery, or to the last date if ongoing.</summary>
public sealed record LongestDrawdown(int CalendarDays, DateOnly? Peak, DateOnly? Recovery, bool Ongoing);

/// <summary>The knobs of the metrics (R3, R5, R5a, R20, R23), each a named constant by default.</summary>
public sealed record MetricsOptions(double RiskFreeRate = 0, int PeriodsPerYear = MetricsOptions.TradingDaysPerYear, int RollingWindow = MetricsOptions.DefaultRollingWindow)
{
    public const int TradingDaysPerYear = 252;
    public const int DefaultRollingWindow = 126;

    /// <summary>Sortino's minimum acceptable return, annual (R5a: not the risk-free rate).</summary>
    public const double MinimumAcceptableReturn = 0;

    /// <summary>Omega's threshold, annual (R5a).</summary>
    public const double OmegaThreshold = 0;

    /// <summary>The probabilistic Sharpe ratio's benchmark Sharpe SR*, per day (R23).</summary>
    public const double BenchmarkSharpe = 0;

    /// <summary>What counts as zero dispersion (R6).</summary>
    public const double Epsilon = 1e-12;

    public const double TailProbability = 0.05;

    /// <summary>An annual rate as a per-period rate, compounded: <c>(1 + rate)^(1/P) - 1</c> (R5).</summary>
    public double PerPeriod(double annualRate) => Math.Pow(1 + annualRate, 1.0 / PeriodsPerYear) - 1;
}

/// <summary>
/// Risk and return metrics of one NAV-per-share series, exactly as ../shared/ANALYTICS.md §2 defines them (R8-R23).
/// Every figure that is undefined for the series (too few points, zero dispersion, no losses, ...) is null, never
/// 0, NaN or infinity (R6). Returns are ratios of NAVs computed in double (R7); the first row is the starting value
/// and has no return (R2).
/// </summary>
public sealed record PerformanceMetrics(
    int Returns,
    double? TotalReturn,
    double? Cagr,
    double? Volatility,
    double? Sharpe,
    double? Sortino,
    MaxDrawdown MaxDrawdown,
    LongestDrawdown LongestDrawdown,
    double? Calmar,
    double? ValueAtRisk95,
    double? ConditionalValueAtRisk95,
    double? Skewness,
    double? ExcessKurtosis,
    DatedValue? BestDay,
    DatedValue? WorstDay,
    PeriodReturn? BestMonth,
    PeriodReturn? WorstMonth,
    PeriodReturn? BestYear,
    PeriodReturn? WorstYear,
    double? WinRate,
    int WinningDays,
    int LosingDays,
    int FlatDays,
    double? AverageWin,
    double? AverageLoss,
    double? Payoff,
    double? Omega,
    double? TailRatio,
    double? ProbabilisticSharpe,
    IReadOnlyList<MonthlyReturnsRow> MonthlyReturns,
    IReadOnlyList<DatedValue> RollingVolatility)
{
    /// <summary>The metrics of <paramref name="series"/> (ascending, unique dates, every NAV positive: see <see cref="CheckNavs"/>).</summary>
    public static PerformanceMetrics Compute(IReadOnlyList<NavPoint> series, MetricsOptions options)
    {
        var navs = new double[series.Count];
        var dates = new DateOnly[series.Count];
        for (var i = 0; i < series.Count; i++)
            (navs[i], dates[i]) = ((double)series[i].NavPerShare, series[i].AsOf);
        var returns = ReturnsOf(navs);
        var returnDates = dates.Length > 1 ? dates[1..] : [];
        var n = returns.Length;
        var annualRoot = Math.Sqrt(options.PeriodsPerYear);

        double? totalReturn = series.Count > 1 ? Finite((double)(series[^1].NavPerShare / series[0].NavPerShare) - 1) : null;
        var years = series.Count > 1 ? (dates[^1].DayNumber - dates[0].DayNumber) / 365.0 : 0;
        double? cagr = totalReturn is { } total && years > 0 ? Finite(Math.Pow(1 + total, 1 / years) - 1) : null;

        var mean = Mean(returns);
        var std = SampleStd(returns, mean);
        var riskFreeDaily = options.PerPeriod(options.RiskFreeRate);
        var marDaily = options.PerPeriod(MetricsOptions.MinimumAcceptableReturn);
        double? sharpePerDay = std is > MetricsOptions.Epsilon ? (mean - riskFreeDaily) / std : null;

        var downside = 0.0;
        foreach (var r in returns)
            downside += Math.Min(r - marDaily, 0) * Math.Min(r - marDaily, 0);
        var downsideDeviation = n > 0 ? Math.Sqrt(downside / n) : 0;
        double? sortino = downsideDeviation > MetricsOptions.Epsilon ? (mean - marDaily) / downsideDeviation * annualRoot : null;

        var (maxDrawdown, longest) = Drawdowns.Analyse(dates, series);
        double? calmar = cagr is { } c && maxDrawdown.Depth < 0 ? Finite(c / Math.Abs(maxDrawdown.Depth)) : null;

        var sorted = (double[])returns.Clone();
        Array.Sort(sorted);
        double? var95 = n > 0 ? Quantile(sorted, MetricsOptions.TailProbability) : null;
        double? cvar95 = null;
        if (n > 0)
        {
            var worst = (int)Math.Floor((n - 1) * MetricsOptions.TailProbability) + 1;
            cvar95 = sorted.Take(worst).Average();
        }
        double? q95 = n > 0 ? Quantile(sorted, 1 - MetricsOptions.TailProbability) : null;
        double? tailRatio = var95 is { } low && Math.Abs(low) > MetricsOptions.Epsilon ? Math.Abs(q95!.Value) / Math.Abs(low) : null;

        var (skewness, kurtosis) = Shape(returns, mean);

        var (wins, losses, flats, winSum, lossSum) = (0, 0, 0, 0.0, 0.0);
        var omegaThreshold = options.PerPeriod(MetricsOptions.OmegaThreshold);
        var (omegaGains, omegaLosses) = (0.0, 0.0);
        foreach (var r in returns)
        {
            if (r > 0)
                (wins, winSum) = (wins + 1, winSum + r);
            else if (r < 0)
                (losses, lossSum) = (losses + 1, lossSum + r);
            else
                flats++;
            omegaGains += Math.Max(r - omegaThreshold, 0);
            omegaLosses += Math.Max(omegaThreshold - r, 0);
        }
        double? averageWin = wins > 0 ? winSum / wins : null;
        double? averageLoss = losses > 0 ? lossSum / losses : null;

        double? psr = null;
        if (n >= 4 && sharpePerDay is { } sr && skewness is { } g1 && kurtosis is { } g2)
        {
            var variance = 1 - (g1 * sr) + ((g2 + 2) / 4 * sr * sr);
            if (variance > 0)
                psr = Normal.CDF(0, 1, (sr - MetricsOptions.BenchmarkSharpe) * Math.Sqrt(n - 1) / Math.Sqrt(variance));
        }

        var months = Compound(returns, returnDates, monthly: true);
        var yearsCompounded = Compound(returns, returnDates, monthly: false);

        return new PerformanceMetrics(
            n,
            totalReturn,
            cagr,
            n >= 2 ? std * annualRoot : null,
            sharpePerDay * annualRoot,
            sortino,
            maxDrawdown,
            longest,
            calmar,
            var95,
            cvar95,
            skewness,
            kurtosis,
            Extreme(returns, returnDates, best: true),
            Extreme(returns, returnDates, best: false),
            months.Count > 0 ? months.MaxBy(m => m.Return) : null,
            months.Count > 0 ? months.MinBy(m => m.Return) : null,
            yearsCompounded.Count > 0 ? yearsCompounded.MaxBy(m => m.Return) : null,
            yearsCompounded.Count > 0 ? yearsCompounded.MinBy(m => m.Return) : null,
            wins + losses > 0 ? (double)wins / (wins + losses) : null,
            wins,
            losses,
            flats,
            averageWin,
            averageLoss,
            averageWin is { } w && averageLoss is { } l ? w / Math.Abs(l) : null,
            omegaLosses > 0 ? omegaGains / omegaLosses : null,
            tailRatio,
            psr,
            MonthlyTable(months, yearsCompounded),
            Rolling(returns, returnDates, options.RollingWindow, annualRoot));
    }

    /// <summary>R1: every NAV must be positive; returns the first offending row's description, or null if the series is usable.</summary>
    public static string? CheckNavs(IReadOnlyList<NavPoint> series)
    {
        foreach (var point in series)
        {
            if (point.NavPerShare <= 0)
                return $"NAV per share {point.NavPerShare} on {point.AsOf:yyyy-MM-dd} is not positive";
        }
        return null;
    }

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

    /// <summary>Bias-adjusted skewness G1 (n ≥ 3) and excess kurtosis G2 (n ≥ 4); null with zero dispersion (R16).</summary>
    private static (double? Skewness, double? Kurtosis) Shape(double[] returns, double mean)
    {
        var n = returns.Length;
        if (n < 3)
            return (null, null);
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var r in returns)
        {
            var d = r - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        (m2, m3, m4) = (m2 / n, m3 / n, m4 / n);
        if (Math.Sqrt(m2) <= MetricsOptions.Epsilon)
            return (null, null);
        var g1 = m3 / Math.Pow(m2, 1.5);
        var skewness = g1 * Math.Sqrt((double)n * (n - 1)) / (n - 2);
        if (n < 4)
            return (skewness, null);
        var g2 = (m4 / (m2 * m2)) - 3;
        return (skewness, (((n + 1) * g2) + 6) * (n - 1) / ((double)(n - 2) * (n - 3)));
    }

    private static DatedValue? Extreme(double[] returns, DateOnly[] dates, bool best)
    {
        if (returns.Length == 0)
            return null;
        var at = 0;
        for (var i = 1; i < returns.Length; i++)
        {
            if (best ? returns[i] > returns[at] : returns[i] < returns[at])
                at = i;
        }
        return new DatedValue(dates[at], returns[at]);
    }

    /// <summary>Returns compounded per calendar month or year (the return's date decides its period), in date order.</summary>
    private static List<PeriodReturn> Compound(double[] returns, DateOnly[] dates, bool monthly)
    {
        var periods = new List<PeriodReturn>();
        var current = -1;
        var growth = 1.0;
        for (var i = 0; i < returns.Length; i++)
        {
            var period = monthly ? (dates[i].Year * 100) + dates[i].Month : dates[i].Year;
            if (period != current)
            {
                if (current >= 0)
                    periods.Add(new PeriodReturn(Label(current, monthly), growth - 1));
                (current, growth) = (period, 1.0);
            }
            growth *= 1 + returns[i];
        }
        if (current >= 0)
            periods.Add(new PeriodReturn(Label(current, monthly), growth - 1));
        return periods;
    }

    private static string Label(int period, bool monthly) => monthly
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{period / 100:0000}-{period % 100:00}")
        : period.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>R19: year rows of twelve months (absent months null, never 0) and the compounded year.</summary>
    private static List<MonthlyReturnsRow> MonthlyTable(List<PeriodReturn> months, List<PeriodReturn> years) =>
        years.Select(y =>
        {
            var cells = new double?[12];
            foreach (var month in months.Where(m => m.Period.StartsWith(y.Period, StringComparison.Ordinal)))
                cells[int.Parse(month.Period[5..], System.Globalization.CultureInfo.InvariantCulture) - 1] = month.Return;
            return new MonthlyReturnsRow(int.Parse(y.Period, System.Globalization.CultureInfo.InvariantCulture), cells, y.Return);
        }).ToList();

    /// <summary>
    /// R20: sample std of each window of <paramref name="window"/> returns times √P, dated at the window's last day.
    /// Sliding sums of the returns' deviations from their overall mean keep it O(n) without the cancellation of raw sums.
    /// </summary>
    private static List<DatedValue> Rolling(double[] returns, DateOnly[] dates, int window, double annualRoot)
    {
        var rolling = new List<DatedValue>(Math.Max(0, returns.Length - window + 1));
        if (returns.Length < window || window < 2)
            return rolling;
        var centre = Mean(returns);
        double sum = 0, squares = 0;
        for (var i = 0; i < returns.Length; i++)
        {
            var d = returns[i] - centre;
            sum += d;
            squares += d * d;
            if (i >= window)
            {
                var leaving = returns[i - window] - centre;
                sum -= leaving;
                squares -= leaving * leaving;
            }
            if (i >= window - 1)
            {
                var variance = Math.Max(0, (squares - (sum * sum / window)) / (window - 1));
                rolling.Add(new DatedValue(dates[i], Math.Sqrt(variance) * annualRoot));
            }
        }
        return rolling;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
