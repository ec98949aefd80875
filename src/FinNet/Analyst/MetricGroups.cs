namespace FinNet.Analyst;

/// <summary>A value with its date (best day, a rolling-volatility point, ...).</summary>
public sealed record DatedValue(DateOnly Date, double Value);

/// <summary>A compounded return over a calendar period, labelled <c>2024-01</c> (month) or <c>2024</c> (year).</summary>
public sealed record PeriodReturn(string Period, double Return);

/// <summary>One year of the monthly returns table: twelve months (null where the month has no return) and the compounded year.</summary>
public sealed record MonthlyReturnsRow(int Year, IReadOnlyList<double?> Months, double Total);

/// <summary>
/// The deepest drawdown (docs/metrics.md, "Max drawdown"): depth as a negative fraction, the peak (last date at the high), the trough (first date
/// at the low), the recovery (first date back at or above the peak; null if not yet) and the duration from the peak to
/// the recovery, or to the last date when <see cref="Ongoing"/>. Depth 0 and null dates when never under water.
/// </summary>
public sealed record MaxDrawdown(double Depth, DateOnly? Peak, DateOnly? Trough, DateOnly? Recovery, int? CalendarDays, int? TradingDays, bool Ongoing);

/// <summary>The longest drawdown episode in calendar days ("Max drawdown"): from its high to the recovery, or to the last date if ongoing.</summary>
public sealed record LongestDrawdown(int CalendarDays, DateOnly? Peak, DateOnly? Recovery, bool Ongoing);

/// <summary>How a portfolio grew (docs/metrics.md, "Total return" and "CAGR").</summary>
/// <param name="Count">The number of daily returns: one fewer than NAVs, the first NAV being the starting value.</param>
public sealed record ReturnMetrics(int Count, double? TotalReturn, double? Cagr);

/// <summary>Dispersion, risk-adjusted return and drawdowns (docs/metrics.md, "Volatility" to "Probabilistic Sharpe ratio").</summary>
public sealed record RiskMetrics(
    double? Volatility, double? Sharpe, double? Sortino, double? ProbabilisticSharpe,
    MaxDrawdown MaxDrawdown, LongestDrawdown LongestDrawdown, double? Calmar);

/// <summary>The shape and tails of the daily returns (docs/metrics.md, "VaR and CVaR" to "Omega and tail ratio").</summary>
public sealed record TailMetrics(
    double? ValueAtRisk95, double? ConditionalValueAtRisk95, double? Skewness, double? ExcessKurtosis, double? Omega, double? TailRatio);

/// <summary>Winning and losing days (docs/metrics.md, "Win rate and payoff").</summary>
public sealed record WinLossMetrics(
    double? WinRate, int WinningDays, int LosingDays, int FlatDays, double? AverageWin, double? AverageLoss, double? Payoff);

/// <summary>Calendar periods: best and worst day, month and year, the monthly table and rolling volatility.</summary>
public sealed record PeriodMetrics(
    DatedValue? BestDay, DatedValue? WorstDay,
    PeriodReturn? BestMonth, PeriodReturn? WorstMonth, PeriodReturn? BestYear, PeriodReturn? WorstYear,
    IReadOnlyList<MonthlyReturnsRow> MonthlyReturns, int RollingWindow, IReadOnlyList<DatedValue> RollingVolatility);
