namespace FinNet.Analyst;

/// <summary>The knobs of the metrics (docs/metrics.md, "Inputs and conventions"), each a named constant by default.</summary>
public sealed record MetricsOptions(double RiskFreeRate = 0, int PeriodsPerYear = MetricsOptions.TradingDaysPerYear, int RollingWindow = MetricsOptions.DefaultRollingWindow)
{
    public const int TradingDaysPerYear = 252;
    public const int DefaultRollingWindow = 126;

    /// <summary>Sortino's minimum acceptable return, annual (not the risk-free rate: "Inputs and conventions").</summary>
    public const double MinimumAcceptableReturn = 0;

    /// <summary>Omega's threshold, annual ("Omega and tail ratio").</summary>
    public const double OmegaThreshold = 0;

    /// <summary>The probabilistic Sharpe ratio's benchmark Sharpe SR*, per day ("Probabilistic Sharpe ratio").</summary>
    public const double BenchmarkSharpe = 0;

    /// <summary>What counts as zero dispersion ("Undefined is null").</summary>
    public const double Epsilon = 1e-12;

    public const double TailProbability = 0.05;

    /// <summary>An annual rate as a per-period rate, compounded: <c>(1 + rate)^(1/P) - 1</c> ("Notation").</summary>
    public double PerPeriod(double annualRate) => Math.Pow(1 + annualRate, 1.0 / PeriodsPerYear) - 1;
}
