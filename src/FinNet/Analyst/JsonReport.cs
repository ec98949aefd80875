using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinNet.Analyst;

/// <summary>
/// Writes <c>Inv1_P11_stats.json</c>: the same numbers as the text report at full precision, null where undefined.
/// Key names are stable (snake_case) and described by <c>report.schema.json</c> beside this file. Units (R7a): the
/// five statistics keep the original's (changes per share in currency, change percents in percent); every other
/// return, rate or drawdown is a fraction (0.015 means 1.5 %); dates are ISO.
/// </summary>
public static class JsonReport
{
    public static string FileName(PortfolioReport report) => $"{report.Portfolio.Key}_stats.json";

    public static byte[] Render(PortfolioReport report)
    {
        var stats = report.Statistics;
        var document = new StatisticsDocument(
            report.Portfolio.Key,
            report.Investor.Id,
            report.Investor.Name,
            report.Portfolio.Id,
            report.Portfolio.Name,
            report.Portfolio.Cumulative,
            report.Portfolio.SharesOutstanding,
            report.Series.Count,
            report.FirstDate,
            report.LastDate,
            stats.Overall is { } all ? Extremes(all) : null,
            stats.ByYear.Select(y => new YearDocument(y.Year, y.Extremes.MaxChange, y.Extremes.MinChange, y.Extremes.MaxChangePercent, y.Extremes.MinChangePercent)).ToList(),
            Moments(stats.FullHistory),
            new PeriodDocument(stats.Period.From, stats.Period.To, stats.InPeriod.Count, stats.InPeriod.Mean, stats.InPeriod.StandardDeviation),
            stats.MonthlyMeans.Select(m => new MonthDocument($"{m.Year:0000}-{m.Month:00}", m.Mean)).ToList(),
            new RangeDocument(report.Options.From, report.Options.To),
            report.DataError,
            report.Options.RiskFreeRate,
            report.Options.Metrics.PeriodsPerYear,
            report.Metrics is { } metrics ? Metrics(metrics, report.Options.Metrics) : null,
            report.Comparison is { } c
                ? new BenchmarkDocument(c.Benchmark, report.Benchmark!.Description, c.Returns, c.Beta, c.Alpha, c.Correlation, c.TrackingError, c.InformationRatio)
                : null);
        return JsonSerializer.SerializeToUtf8Bytes(document, ReportJsonContext.Default.StatisticsDocument);
    }

    private static MetricsDocument Metrics(PerformanceMetrics m, MetricsOptions options) => new(
        m.Returns, m.TotalReturn, m.Cagr, m.Volatility, m.Sharpe, m.Sortino,
        new MaxDrawdownDocument(m.MaxDrawdown.Depth, m.MaxDrawdown.Peak, m.MaxDrawdown.Trough, m.MaxDrawdown.Recovery, m.MaxDrawdown.CalendarDays, m.MaxDrawdown.TradingDays, m.MaxDrawdown.Ongoing),
        new LongestDrawdownDocument(m.LongestDrawdown.CalendarDays, m.LongestDrawdown.Peak, m.LongestDrawdown.Recovery, m.LongestDrawdown.Ongoing),
        m.Calmar, m.ValueAtRisk95, m.ConditionalValueAtRisk95, m.Skewness, m.ExcessKurtosis,
        Day(m.BestDay), Day(m.WorstDay), Period(m.BestMonth), Period(m.WorstMonth), Period(m.BestYear), Period(m.WorstYear),
        m.WinRate, m.WinningDays, m.LosingDays, m.FlatDays, m.AverageWin, m.AverageLoss, m.Payoff, m.Omega, m.TailRatio, m.ProbabilisticSharpe,
        m.MonthlyReturns.Select(row => new MonthlyReturnsDocument(row.Year, row.Months, row.Total)).ToList(),
        new RollingDocument(options.RollingWindow, m.RollingVolatility.Select(p => p.Date).ToList(), m.RollingVolatility.Select(p => p.Value).ToList()));

    private static DayDocument? Day(DatedValue? day) => day is null ? null : new DayDocument(day.Date, day.Value);

    private static PeriodReturnDocument? Period(PeriodReturn? period) => period is null ? null : new PeriodReturnDocument(period.Period, period.Return);

    private static ExtremesDocument Extremes(ChangeExtremes e) => new(e.MaxChange, e.MinChange, e.MaxChangePercent, e.MinChangePercent);

    private static MomentsDocument Moments(NavMoments m) => new(m.Count, m.Mean, m.StandardDeviation);
}

internal sealed record StatisticsDocument(
    string Portfolio,
    string InvestorId,
    string InvestorName,
    string PortfolioId,
    string PortfolioName,
    bool Cumulative,
    decimal SharesOutstanding,
    int Days,
    DateOnly? FirstDate,
    DateOnly? LastDate,
    ExtremesDocument? DailyChange,
    IReadOnlyList<YearDocument> DailyChangeByYear,
    MomentsDocument NavPerShare,
    PeriodDocument NavPerShareInPeriod,
    IReadOnlyList<MonthDocument> MonthlyMeanNavPerShare,
    RangeDocument AnalysedRange,
    string? DataError,
    double RiskFreeRate,
    int PeriodsPerYear,
    MetricsDocument? Metrics,
    BenchmarkDocument? Benchmark);

internal sealed record RangeDocument(DateOnly? From, DateOnly? To);

internal sealed record MetricsDocument(
    int Returns,
    double? TotalReturn,
    double? Cagr,
    double? AnnualVolatility,
    double? Sharpe,
    double? Sortino,
    MaxDrawdownDocument MaxDrawdown,
    LongestDrawdownDocument LongestDrawdown,
    double? Calmar,
    [property: JsonPropertyName("var_95")] double? Var95,
    [property: JsonPropertyName("cvar_95")] double? Cvar95,
    double? Skewness,
    double? ExcessKurtosis,
    DayDocument? BestDay,
    DayDocument? WorstDay,
    PeriodReturnDocument? BestMonth,
    PeriodReturnDocument? WorstMonth,
    PeriodReturnDocument? BestYear,
    PeriodReturnDocument? WorstYear,
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
    IReadOnlyList<MonthlyReturnsDocument> MonthlyReturns,
    RollingDocument RollingVolatility);

internal sealed record MaxDrawdownDocument(double Depth, DateOnly? Peak, DateOnly? Trough, DateOnly? Recovery, int? CalendarDays, int? TradingDays, bool Ongoing);

internal sealed record LongestDrawdownDocument(int CalendarDays, DateOnly? Peak, DateOnly? Recovery, bool Ongoing);

internal sealed record DayDocument(DateOnly Date, double Return);

internal sealed record PeriodReturnDocument(string Period, double Return);

internal sealed record MonthlyReturnsDocument(int Year, IReadOnlyList<double?> Months, double YearReturn);

/// <summary>Columns rather than objects: a point a day, and the key names had made up a third of a report's bytes.</summary>
internal sealed record RollingDocument(int Window, IReadOnlyList<DateOnly> Dates, IReadOnlyList<double> Values);

internal sealed record BenchmarkDocument(string Name, string Description, int Returns, double? Beta, double? Alpha, double? Correlation, double? TrackingError, double? InformationRatio);

internal sealed record ExtremesDocument(decimal MaxChange, decimal MinChange, decimal MaxChangePercent, decimal MinChangePercent);

internal sealed record YearDocument(int Year, decimal MaxChange, decimal MinChange, decimal MaxChangePercent, decimal MinChangePercent);

internal sealed record MomentsDocument(int Days, decimal? Mean, decimal? Std);

internal sealed record PeriodDocument(DateOnly From, DateOnly To, int Days, decimal? Mean, decimal? Std);

internal sealed record MonthDocument(string Month, decimal Mean);

// Compact: with every day's rolling volatility a report is mostly numbers, and indentation doubled its size.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StatisticsDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
