using System.Globalization;
using FinNet.Investors;
using MathNet.Numerics.Distributions;

namespace FinNet.Analyst;

/// <summary>
/// Every figure the analyst reports about one portfolio, kept up to date as its NAVs arrive one at a time, in date
/// order: the original's five statistics, the risk and return metrics and the benchmark comparison, exactly as
/// docs/metrics.md defines them. This is the one implementation of those definitions: the batch report feeds it the
/// stored series and reads it once; the live analyst reads it whenever it is asked.
/// </summary>
/// <remarks>
/// Each NAV costs O(log n) (two heap inserts for the exact quantiles, VaR and CVaR among them) and everything else
/// O(1): running moments instead of two passes, compounding of the current month and year, sliding sums for the
/// rolling volatility, a drawdown state machine. Reading the figures costs what the figures are (the monthly table and
/// the rolling series grow with the history). Memory per NAV: its date and decimal value (for the exact statistic (3)
/// fallback and the charts), two doubles in the quantile heaps and one rolling-volatility double.
/// </remarks>
public sealed class PortfolioAnalytics
{
    private readonly MetricsOptions _options;
    private readonly DatePeriod _period;
    private readonly double _annualRoot, _riskFreeDaily, _marDaily, _omegaThreshold;

    private readonly List<DateOnly> _dates;
    private readonly List<decimal> _navs;

    // The five statistics ("The original five statistics").
    // Widened in place (a record per NAV was most of what the statistics allocated); records only when read.
    private Extremes _overall;
    private readonly List<YearChangeExtremes> _closedYears = [];
    private (int Year, Extremes Extremes) _changeYear;
    private readonly List<MonthlyMeanNav> _closedMonthMeans = [];
    private ((int Year, int Month) Key, decimal Sum, int Count) _monthMean;
    private readonly ExactMoments _fullHistory = new(), _inPeriod = new();
    private int _periodStart = -1;

    // The metrics, from the returns: the first NAV is the starting value and has none.
    private string? _dataError;
    private double _lastNav;
    private NavPoint? _lastPoint;
    private readonly RunningMoments _returns = new();
    private readonly RunningQuantile _lowTail, _highTail;
    private double _downside, _omegaGains, _omegaLosses, _winSum, _lossSum;
    private int _wins, _losses, _flats;
    private (DateOnly Date, double Return)? _bestDay, _worstDay;
    private readonly PeriodCompounding _months = new(monthly: true), _years = new(monthly: false);
    private readonly Drawdowns _drawdowns = new();
    private readonly RollingVolatility _rolling;
    private readonly BenchmarkComparison.Tracker? _benchmark;

    /// <param name="benchmark">The benchmark's name, or null for no comparison (<c>--benchmark none</c>).</param>
    /// <param name="capacity">How many NAVs are coming, when known (a stored series): the series and the quantiles are sized once.</param>
    public PortfolioAnalytics(MetricsOptions options, DatePeriod period, string? benchmark = null, int capacity = 0)
    {
        (_dates, _navs) = (new List<DateOnly>(capacity), new List<decimal>(capacity));
        (_lowTail, _highTail) = (new RunningQuantile(MetricsOptions.TailProbability, capacity), new RunningQuantile(1 - MetricsOptions.TailProbability, capacity));
        (_options, _period) = (options, period);
        _annualRoot = Math.Sqrt(options.PeriodsPerYear);
        _riskFreeDaily = options.PerPeriod(options.RiskFreeRate);
        _marDaily = options.PerPeriod(MetricsOptions.MinimumAcceptableReturn);
        _omegaThreshold = options.PerPeriod(MetricsOptions.OmegaThreshold);
        _rolling = new RollingVolatility(options.RollingWindow, _annualRoot, capacity);
        _benchmark = benchmark is null ? null : new BenchmarkComparison.Tracker(benchmark, options);
    }

    /// <summary>The NAVs per share received so far, with their dates (for charts).</summary>
    public IReadOnlyList<DateOnly> Dates => _dates;

    public IReadOnlyList<decimal> Navs => _navs;

    /// <summary>The series as <see cref="NavPoint"/>s for the report and its charts: date and NAV per share (the stored changes are not kept).</summary>
    public IReadOnlyList<NavPoint> Points => new PointsView(this);

    /// <summary>Set once a NAV is not positive ("Inputs and conventions"): the metrics stop, the five statistics go on.</summary>
    public string? DataError => _dataError;

    /// <summary>Adds the next NAV (dated after the last one) and, on dates the benchmark has, the benchmark's value.</summary>
    public void Add(NavPoint point, double? benchmarkValue = null)
    {
        if (_dates.Count > 0 && point.AsOf <= _dates[^1])
            throw new ArgumentException($"NAV dated {point.AsOf:yyyy-MM-dd} does not follow {_dates[^1]:yyyy-MM-dd}", nameof(point));
        // The date's parts once (each DateOnly.Year or .Month works them out again from the day number).
        point.AsOf.Deconstruct(out var year, out var monthOfYear, out _);
        AddToStatistics(point, year, monthOfYear);
        _lastPoint = point;
        _dates.Add(point.AsOf);
        _navs.Add(point.NavPerShare);
        if (_dataError is not null)
            return;
        if (point.NavPerShare <= 0)
        {
            _dataError = $"NAV per share {point.NavPerShare} on {point.AsOf:yyyy-MM-dd} is not positive";
            return;
        }
        var nav = (double)point.NavPerShare;
        _drawdowns.Add(point.AsOf, point.NavPerShare, nav);
        if (benchmarkValue is { } value)
            _benchmark?.Add(nav, value);
        if (_navs.Count > 1)
            AddReturn(point.AsOf, year, monthOfYear, (nav / _lastNav) - 1);
        _lastNav = nav;
    }

    private void AddToStatistics(NavPoint point, int year, int monthOfYear)
    {
        if (_period.Contains(point.AsOf))
        {
            if (_periodStart < 0)
                _periodStart = _navs.Count;
            _inPeriod.Add(point.NavPerShare);
        }
        _fullHistory.Add(point.NavPerShare);
        var month = (year, monthOfYear);
        if (month != _monthMean.Key)
        {
            if (_monthMean.Count > 0)
                _closedMonthMeans.Add(new MonthlyMeanNav(_monthMean.Key.Year, _monthMean.Key.Month, _monthMean.Sum / _monthMean.Count));
            _monthMean = (month, 0m, 0);
        }
        _monthMean = (month, _monthMean.Sum + point.NavPerShare, _monthMean.Count + 1);

        // The first row has no change and takes no part in (1) and (2).
        if (point.Change is not { } change || point.ChangePercent is not { } percent)
            return;
        if (year != _changeYear.Year)
        {
            if (_changeYear.Extremes.Record() is { } closed)
                _closedYears.Add(new YearChangeExtremes(_changeYear.Year, closed));
            _changeYear = (year, default);
        }
        _changeYear.Extremes.Widen(change, percent);
        _overall.Widen(change, percent);
    }

    private void AddReturn(DateOnly date, int year, int monthOfYear, double r)
    {
        _returns.Add(r);
        _lowTail.Add(r);
        _highTail.Add(r);
        var belowTarget = Math.Min(r - _marDaily, 0);
        _downside += belowTarget * belowTarget;
        if (r > 0)
            (_wins, _winSum) = (_wins + 1, _winSum + r);
        else if (r < 0)
            (_losses, _lossSum) = (_losses + 1, _lossSum + r);
        else
            _flats++;
        _omegaGains += Math.Max(r - _omegaThreshold, 0);
        _omegaLosses += Math.Max(_omegaThreshold - r, 0);
        if (_bestDay is null || r > _bestDay.Value.Return)
            _bestDay = (date, r);
        if (_worstDay is null || r < _worstDay.Value.Return)
            _worstDay = (date, r);
        _months.Add(year, monthOfYear, r);
        _years.Add(year, monthOfYear, r);
        _rolling.Add(r);
    }

    /// <summary>The five statistics over the NAVs so far.</summary>
    public NavStatistics Statistics
    {
        get
        {
            var byYear = new List<YearChangeExtremes>(_closedYears);
            if (_changeYear.Extremes.Record() is { } open)
                byYear.Add(new YearChangeExtremes(_changeYear.Year, open));
            var monthly = new List<MonthlyMeanNav>(_closedMonthMeans.Count + 1);
            if (_monthMean.Count > 0)
                monthly.Add(new MonthlyMeanNav(_monthMean.Key.Year, _monthMean.Key.Month, _monthMean.Sum / _monthMean.Count));
            for (var i = _closedMonthMeans.Count - 1; i >= 0; i--)
                monthly.Add(_closedMonthMeans[i]); // most recent first
            var inPeriod = _inPeriod.Moments(() => _navs.GetRange(Math.Max(0, _periodStart), _inPeriod.Count));
            return new NavStatistics(_overall.Record(), byYear, _fullHistory.Moments(() => _navs), _period, inPeriod, monthly);
        }
    }

    /// <summary>The metrics over the NAVs so far; null once a NAV was not positive (<see cref="DataError"/>).</summary>
    public PerformanceMetrics? Metrics => _dataError is null ? ComputeMetrics() : null;

    /// <summary>The comparison with the benchmark over the dates both have so far; null without a benchmark or with a <see cref="DataError"/>.</summary>
    public BenchmarkComparison? Comparison => _dataError is null ? _benchmark?.Comparison : null;

    /// <summary>The last NAV as received (with its stored change) and the figures of a portfolio's line in a table, in O(1).</summary>
    public HeadlineFigures Headline
    {
        get
        {
            var metrics = _dataError is null;
            var (totalReturn, cagr) = metrics ? Growth() : (null, null);
            return new HeadlineFigures(
                _navs.Count, _lastPoint, totalReturn, cagr,
                metrics ? Volatility : null,
                metrics ? SharpePerDay * _annualRoot : null,
                metrics ? _drawdowns.Deepest.Depth : null,
                _dataError);
        }
    }

    /// <summary>"Total return" and "CAGR".</summary>
    private (double? TotalReturn, double? Cagr) Growth()
    {
        var count = _navs.Count;
        double? totalReturn = count > 1 ? Finite((double)(_navs[^1] / _navs[0]) - 1) : null;
        var years = count > 1 ? (_dates[^1].DayNumber - _dates[0].DayNumber) / 365.0 : 0;
        return (totalReturn, totalReturn is { } total && years > 0 ? Finite(Math.Pow(1 + total, 1 / years) - 1) : null);
    }

    /// <summary>"Volatility": annualised; null for fewer than two returns.</summary>
    private double? Volatility => _returns.Count >= 2 ? _returns.SampleStd * _annualRoot : null;

    /// <summary>"Sharpe ratio", per day: null with zero dispersion (the running mean is 0 before any return).</summary>
    private double? SharpePerDay => _returns.SampleStd is > MetricsOptions.Epsilon and var std ? (_returns.Mean - _riskFreeDaily) / std : null;

    private PerformanceMetrics ComputeMetrics()
    {
        var n = _returns.Count;
        var (totalReturn, cagr) = Growth();

        var mean = _returns.Mean;
        var sharpePerDay = SharpePerDay;
        var downsideDeviation = n > 0 ? Math.Sqrt(_downside / n) : 0;
        double? sortino = downsideDeviation > MetricsOptions.Epsilon ? (mean - _marDaily) / downsideDeviation * _annualRoot : null;

        var maxDrawdown = _drawdowns.Deepest;
        double? calmar = cagr is { } c && maxDrawdown.Depth < 0 ? Finite(c / Math.Abs(maxDrawdown.Depth)) : null;

        double? var95 = n > 0 ? _lowTail.Value : null;
        double? cvar95 = n > 0 ? _lowTail.LowerSum / _lowTail.LowerCount : null; // the ⌊(n - 1) 0.05⌋ + 1 worst
        double? q95 = n > 0 ? _highTail.Value : null;
        double? tailRatio = var95 is { } low && Math.Abs(low) > MetricsOptions.Epsilon ? Math.Abs(q95!.Value) / Math.Abs(low) : null;
        var (skewness, kurtosis) = Shape();
        double? averageWin = _wins > 0 ? _winSum / _wins : null;
        double? averageLoss = _losses > 0 ? _lossSum / _losses : null;

        double? psr = null;
        if (n >= 4 && sharpePerDay is { } sr && skewness is { } g1 && kurtosis is { } g2)
        {
            var variance = 1 - (g1 * sr) + ((g2 + 2) / 4 * sr * sr);
            if (variance > 0)
                psr = Normal.CDF(0, 1, (sr - MetricsOptions.BenchmarkSharpe) * Math.Sqrt(n - 1) / Math.Sqrt(variance));
        }

        var months = _months.Periods();
        var yearsCompounded = _years.Periods();
        return new PerformanceMetrics(
            Returns: new ReturnMetrics(Count: n, TotalReturn: totalReturn, Cagr: cagr),
            Risk: new RiskMetrics(
                Volatility: Volatility,
                Sharpe: sharpePerDay * _annualRoot,
                Sortino: sortino,
                ProbabilisticSharpe: psr,
                MaxDrawdown: maxDrawdown,
                LongestDrawdown: _drawdowns.Longest,
                Calmar: calmar),
            Tails: new TailMetrics(
                ValueAtRisk95: var95,
                ConditionalValueAtRisk95: cvar95,
                Skewness: skewness,
                ExcessKurtosis: kurtosis,
                Omega: _omegaLosses > 0 ? _omegaGains / _omegaLosses : null,
                TailRatio: tailRatio),
            WinLoss: new WinLossMetrics(
                WinRate: _wins + _losses > 0 ? (double)_wins / (_wins + _losses) : null,
                WinningDays: _wins,
                LosingDays: _losses,
                FlatDays: _flats,
                AverageWin: averageWin,
                AverageLoss: averageLoss,
                Payoff: averageWin is { } w && averageLoss is { } l ? w / Math.Abs(l) : null),
            Periods: new PeriodMetrics(
                BestDay: _bestDay is { } best ? new DatedValue(best.Date, best.Return) : null,
                WorstDay: _worstDay is { } worst ? new DatedValue(worst.Date, worst.Return) : null,
                BestMonth: months.Count > 0 ? months.MaxBy(m => m.Return) : null,
                WorstMonth: months.Count > 0 ? months.MinBy(m => m.Return) : null,
                BestYear: yearsCompounded.Count > 0 ? yearsCompounded.MaxBy(m => m.Return) : null,
                WorstYear: yearsCompounded.Count > 0 ? yearsCompounded.MinBy(m => m.Return) : null,
                MonthlyReturns: MonthlyTable(months, yearsCompounded),
                RollingWindow: _options.RollingWindow,
                RollingVolatility: _rolling.Series(_dates)));
    }

    /// <summary>Bias-adjusted skewness G1 (n ≥ 3) and excess kurtosis G2 (n ≥ 4); null with zero dispersion ("Skewness and kurtosis").</summary>
    private (double? Skewness, double? Kurtosis) Shape()
    {
        var n = _returns.Count;
        if (n < 3)
            return (null, null);
        var (m2, m3, m4) = (_returns.M2 / n, _returns.M3 / n, _returns.M4 / n);
        if (Math.Sqrt(m2) <= MetricsOptions.Epsilon)
            return (null, null);
        var g1 = m3 / Math.Pow(m2, 1.5);
        var skewness = g1 * Math.Sqrt((double)n * (n - 1)) / (n - 2);
        if (n < 4)
            return (skewness, null);
        var g2 = (m4 / (m2 * m2)) - 3;
        return (skewness, (((n + 1) * g2) + 6) * (n - 1) / ((double)(n - 2) * (n - 3)));
    }

    /// <summary>"Monthly returns": year rows of twelve months (absent months null, never 0) and the compounded year.</summary>
    private static List<MonthlyReturnsRow> MonthlyTable(List<PeriodReturn> months, List<PeriodReturn> years)
    {
        var rows = new List<MonthlyReturnsRow>(years.Count);
        var m = 0;
        foreach (var year in years)
        {
            var cells = new double?[12];
            for (; m < months.Count && months[m].Period.StartsWith(year.Period, StringComparison.Ordinal); m++)
                cells[int.Parse(months[m].Period.AsSpan(5), CultureInfo.InvariantCulture) - 1] = months[m].Return;
            rows.Add(new MonthlyReturnsRow(int.Parse(year.Period, CultureInfo.InvariantCulture), cells, year.Return));
        }
        return rows;
    }

    /// <summary>Statistics (1) and (2) as they widen: max and min change and change percent, none until the first change.</summary>
    private struct Extremes
    {
        private bool _any;
        private decimal _maxChange, _minChange, _maxPercent, _minPercent;

        public void Widen(decimal change, decimal percent)
        {
            if (!_any)
            {
                (_any, _maxChange, _minChange, _maxPercent, _minPercent) = (true, change, change, percent, percent);
                return;
            }
            (_maxChange, _minChange) = (Math.Max(_maxChange, change), Math.Min(_minChange, change));
            (_maxPercent, _minPercent) = (Math.Max(_maxPercent, percent), Math.Min(_minPercent, percent));
        }

        public readonly ChangeExtremes? Record() => _any ? new ChangeExtremes(_maxChange, _minChange, _maxPercent, _minPercent) : null;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>Returns compounded per calendar month or year (the return's date decides its period): the closed periods and the open one.</summary>
    private sealed class PeriodCompounding(bool monthly)
    {
        private readonly List<PeriodReturn> _closed = [];
        private int _current = -1;
        private double _growth = 1;

        public void Add(int year, int month, double r)
        {
            var period = monthly ? (year * 100) + month : year;
            if (period != _current)
            {
                if (_current >= 0)
                    _closed.Add(new PeriodReturn(Label(_current), _growth - 1));
                (_current, _growth) = (period, 1.0);
            }
            _growth *= 1 + r;
        }

        /// <summary>Every period so far in date order, the open one last.</summary>
        public List<PeriodReturn> Periods()
        {
            var periods = new List<PeriodReturn>(_closed.Count + 1);
            periods.AddRange(_closed);
            if (_current >= 0)
                periods.Add(new PeriodReturn(Label(_current), _growth - 1));
            return periods;
        }

        private string Label(int period) => monthly
            ? string.Create(CultureInfo.InvariantCulture, $"{period / 100:0000}-{period % 100:00}")
            : period.ToString("0000", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// "Rolling volatility": the sample std of each window of returns times √P, dated at the window's last day. Sliding
    /// sums of deviations from the first window's mean keep each step O(1) without the cancellation of raw sums.
    /// </summary>
    private sealed class RollingVolatility(int window, double annualRoot, int capacity)
    {
        private readonly double[] _ring = new double[Math.Max(window, 1)];
        private readonly List<double> _values = new(Math.Max(0, capacity - window));
        private int _count;
        private double _centre, _sum, _squares;

        public void Add(double r)
        {
            if (window < 2)
                return;
            var slot = _count % window;
            var leaving = _ring[slot];
            _ring[slot] = r;
            _count++;
            if (_count < window)
                return;
            if (_count == window)
            {
                _centre = _ring.Average();
                foreach (var value in _ring)
                    (_sum, _squares) = (_sum + (value - _centre), _squares + ((value - _centre) * (value - _centre)));
            }
            else
            {
                var (entering, left) = (r - _centre, leaving - _centre);
                _sum += entering - left;
                _squares += (entering * entering) - (left * left);
            }
            var variance = Math.Max(0, (_squares - (_sum * _sum / window)) / (window - 1));
            _values.Add(Math.Sqrt(variance) * annualRoot);
        }

        /// <summary>The series, dated from the NAV dates: the k-th window ends at return window - 1 + k, NAV window + k.</summary>
        public List<DatedValue> Series(List<DateOnly> navDates)
        {
            var series = new List<DatedValue>(_values.Count);
            for (var k = 0; k < _values.Count; k++)
                series.Add(new DatedValue(navDates[window + k], _values[k]));
            return series;
        }
    }

    private sealed class PointsView(PortfolioAnalytics analytics) : IReadOnlyList<NavPoint>
    {
        public NavPoint this[int index] => new(analytics._dates[index], analytics._navs[index], null, null);

        public int Count => analytics._navs.Count;

        public IEnumerator<NavPoint> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
                yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>A portfolio's line in the live table: days, the last NAV as received, and headline metrics (null where undefined or after a data error).</summary>
public sealed record HeadlineFigures(int Days, NavPoint? Last, double? TotalReturn, double? Cagr, double? Volatility, double? Sharpe, double? MaxDrawdown, string? DataError);
