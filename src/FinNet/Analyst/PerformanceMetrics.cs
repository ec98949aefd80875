using FinNet.Investors;
using MathNet.Numerics.Distributions;

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
    /// <summary>The metrics of <paramref name="series"/> (ascending, unique dates, every NAV positive: see <see cref="CheckNavs"/>).</summary>
    public static PerformanceMetrics Compute(IReadOnlyList<NavPoint> series, MetricsOptions options)
    {
        var navs = new double[series.Count];
        var dates = new DateOnly[series.Count];
        for (var i = 0; i < series.Count; i++)
            (navs[i], dates[i]) = ((double)series[i].NavPerShare, series[i].AsOf);
        var returns = ReturnStatistics.ReturnsOf(navs);
        var returnDates = dates.Length > 1 ? dates[1..] : [];
        var n = returns.Length;
        var annualRoot = Math.Sqrt(options.PeriodsPerYear);

        double? totalReturn = series.Count > 1 ? Finite((double)(series[^1].NavPerShare / series[0].NavPerShare) - 1) : null;
        var years = series.Count > 1 ? (dates[^1].DayNumber - dates[0].DayNumber) / 365.0 : 0;
        double? cagr = totalReturn is { } total && years > 0 ? Finite(Math.Pow(1 + total, 1 / years) - 1) : null;

        var mean = ReturnStatistics.Mean(returns);
        var std = ReturnStatistics.SampleStd(returns, mean);
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
        double? var95 = n > 0 ? ReturnStatistics.Quantile(sorted, MetricsOptions.TailProbability) : null;
        double? cvar95 = null;
        if (n > 0)
        {
            var worst = (int)Math.Floor((n - 1) * MetricsOptions.TailProbability) + 1;
            cvar95 = sorted.Take(worst).Average();
        }
        double? q95 = n > 0 ? ReturnStatistics.Quantile(sorted, 1 - MetricsOptions.TailProbability) : null;
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

        var bestMonth = months.Count > 0 ? months.MaxBy(m => m.Return) : null;
        var worstMonth = months.Count > 0 ? months.MinBy(m => m.Return) : null;
        return new PerformanceMetrics(
            Returns: new ReturnMetrics(Count: n, TotalReturn: totalReturn, Cagr: cagr),
            Risk: new RiskMetrics(
                Volatility: n >= 2 ? std * annualRoot : null,
                Sharpe: sharpePerDay * annualRoot,
                Sortino: sortino,
                ProbabilisticSharpe: psr,
                MaxDrawdown: maxDrawdown,
                LongestDrawdown: longest,
                Calmar: calmar),
            Tails: new TailMetrics(
                ValueAtRisk95: var95,
                ConditionalValueAtRisk95: cvar95,
                Skewness: skewness,
                ExcessKurtosis: kurtosis,
                Omega: omegaLosses > 0 ? omegaGains / omegaLosses : null,
                TailRatio: tailRatio),
            WinLoss: new WinLossMetrics(
                WinRate: wins + losses > 0 ? (double)wins / (wins + losses) : null,
                WinningDays: wins,
                LosingDays: losses,
                FlatDays: flats,
                AverageWin: averageWin,
                AverageLoss: averageLoss,
                Payoff: averageWin is { } w && averageLoss is { } l ? w / Math.Abs(l) : null),
            Periods: new PeriodMetrics(
                BestDay: Extreme(returns, returnDates, best: true),
                WorstDay: Extreme(returns, returnDates, best: false),
                BestMonth: bestMonth,
                WorstMonth: worstMonth,
                BestYear: yearsCompounded.Count > 0 ? yearsCompounded.MaxBy(m => m.Return) : null,
                WorstYear: yearsCompounded.Count > 0 ? yearsCompounded.MinBy(m => m.Return) : null,
                MonthlyReturns: MonthlyTable(months, yearsCompounded),
                RollingWindow: options.RollingWindow,
                RollingVolatility: Rolling(returns, returnDates, options.RollingWindow, annualRoot)));
    }

    /// <summary>Every NAV must be positive ("Inputs and conventions"); returns the first offending row's description, or null if the series is usable.</summary>
    public static string? CheckNavs(IReadOnlyList<NavPoint> series)
    {
        foreach (var point in series)
        {
            if (point.NavPerShare <= 0)
                return $"NAV per share {point.NavPerShare} on {point.AsOf:yyyy-MM-dd} is not positive";
        }
        return null;
    }

    /// <summary>Bias-adjusted skewness G1 (n ≥ 3) and excess kurtosis G2 (n ≥ 4); null with zero dispersion ("Skewness and kurtosis").</summary>
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

    /// <summary>"Monthly returns": year rows of twelve months (absent months null, never 0) and the compounded year.</summary>
    private static List<MonthlyReturnsRow> MonthlyTable(List<PeriodReturn> months, List<PeriodReturn> years) =>
        years.Select(y =>
        {
            var cells = new double?[12];
            foreach (var month in months.Where(m => m.Period.StartsWith(y.Period, StringComparison.Ordinal)))
                cells[int.Parse(month.Period[5..], System.Globalization.CultureInfo.InvariantCulture) - 1] = month.Return;
            return new MonthlyReturnsRow(int.Parse(y.Period, System.Globalization.CultureInfo.InvariantCulture), cells, y.Return);
        }).ToList();

    /// <summary>
    /// "Rolling volatility": sample std of each window of <paramref name="window"/> returns times √P, dated at the window's last day.
    /// Sliding sums of the returns' deviations from their overall mean keep it O(n) without the cancellation of raw sums.
    /// </summary>
    private static List<DatedValue> Rolling(double[] returns, DateOnly[] dates, int window, double annualRoot)
    {
        var rolling = new List<DatedValue>(Math.Max(0, returns.Length - window + 1));
        if (returns.Length < window || window < 2)
            return rolling;
        var centre = ReturnStatistics.Mean(returns);
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
