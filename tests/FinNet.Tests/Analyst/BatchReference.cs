using FinNet.Analyst;
using FinNet.Investors;
using MathNet.Numerics.Distributions;

namespace FinNet.Tests.Analyst;

/// <summary>
/// The analyst's figures computed the way FinNet computed them before the analyst became incremental: each over a
/// whole series at once (two-pass moments, a sorted copy for the quantiles, a merge for the benchmark). Kept here,
/// unchanged, as an independent second computation that <see cref="PortfolioAnalytics"/>, fed one NAV at a time,
/// must agree with at every prefix (docs/metrics.md defines both).
/// </summary>
internal static class BatchReference
{
    /// <summary>The metrics of <paramref name="series"/> (ascending, unique dates, every NAV positive: see <see cref="CheckNavs"/>).</summary>
    public static PerformanceMetrics Metrics(IReadOnlyList<NavPoint> series, MetricsOptions options)
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

        var (maxDrawdown, longest) = AnalyseDrawdowns(dates, series);
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

    public static NavStatistics Statistics(IReadOnlyList<NavPoint> series, DatePeriod period)
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
    private static decimal SquareRoot(decimal value)
    {
        if (value <= 0)
            return 0;
        var root = (decimal)Math.Sqrt((double)value);
        for (var i = 0; i < 3; i++)
            root = (root + value / root) / 2;
        return root;
    }

    /// <param name="portfolio">Portfolio NAVs by date, ascending.</param>
    /// <param name="benchmark">Benchmark values by date, ascending.</param>
    public static BenchmarkComparison Comparison(string name, IReadOnlyList<(DateOnly Date, double Value)> portfolio, IReadOnlyList<(DateOnly Date, double Value)> benchmark, MetricsOptions options)
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

    private static (MaxDrawdown Deepest, LongestDrawdown Longest) AnalyseDrawdowns(DateOnly[] dates, IReadOnlyList<NavPoint> series)
    {
        var noDrawdown = new MaxDrawdown(0, null, null, null, null, null, false);
        if (series.Count < 2)
            return (noDrawdown, new LongestDrawdown(0, null, null, false));

        var high = series[0].NavPerShare;
        var peak = 0;
        var underwater = false;
        var (deepest, troughAt, peakAtTrough) = (0.0, -1, -1);
        var longest = new LongestDrawdown(0, null, null, false);
        for (var t = 1; t < series.Count; t++)
        {
            var nav = series[t].NavPerShare;
            if (nav >= high)
            {
                if (underwater)
                    longest = Longer(longest, new LongestDrawdown(Days(dates, peak, t), dates[peak], dates[t], false));
                (high, peak, underwater) = (nav, t, false);
                continue;
            }
            underwater = true;
            var depth = ((double)nav / (double)high) - 1;
            if (depth < deepest)
                (deepest, troughAt, peakAtTrough) = (depth, t, peak);
        }
        if (underwater)
            longest = Longer(longest, new LongestDrawdown(Days(dates, peak, series.Count - 1), dates[peak], null, true));
        if (troughAt < 0)
            return (noDrawdown, longest);

        var recovery = -1;
        for (var t = troughAt + 1; t < series.Count && recovery < 0; t++)
        {
            if (series[t].NavPerShare >= series[peakAtTrough].NavPerShare)
                recovery = t;
        }
        var end = recovery >= 0 ? recovery : series.Count - 1;
        return (
            new MaxDrawdown(deepest, dates[peakAtTrough], dates[troughAt], recovery >= 0 ? dates[recovery] : null,
                Days(dates, peakAtTrough, end), end - peakAtTrough, recovery < 0),
            longest);
    }

    private static int Days(DateOnly[] dates, int from, int to) => dates[to].DayNumber - dates[from].DayNumber;

    /// <summary>Keeps the earlier episode on a tie, so the report names the first of equally long drawdowns.</summary>
    private static LongestDrawdown Longer(LongestDrawdown current, LongestDrawdown candidate) =>
        candidate.CalendarDays > current.CalendarDays ? candidate : current;
}
