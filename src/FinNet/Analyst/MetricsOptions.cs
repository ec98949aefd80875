namespace FinNet.Analyst;

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
