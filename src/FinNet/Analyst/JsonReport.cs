using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinNet.Analyst;

/// <summary>
/// Writes <c>Inv1_P11_stats.json</c>: the same numbers as the text report at full precision, null where undefined.
/// Key names are stable (snake_case) and described by <c>report.schema.json</c> beside this file. Units (docs/metrics.md): the
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
            report.Metrics,
            report.Comparison is { } c
                ? new BenchmarkDocument(c.Benchmark, report.Benchmark!.Description, c.Returns, c.Beta, c.Alpha, c.Correlation, c.TrackingError, c.InformationRatio)
                : null);
        return JsonSerializer.SerializeToUtf8Bytes(document, ReportJsonContext.Default.StatisticsDocument);
    }

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
    [property: JsonConverter(typeof(MetricsJsonConverter))] PerformanceMetrics? Metrics,
    BenchmarkDocument? Benchmark);

internal sealed record RangeDocument(DateOnly? From, DateOnly? To);

internal sealed record BenchmarkDocument(string Name, string Description, int Returns, double? Beta, double? Alpha, double? Correlation, double? TrackingError, double? InformationRatio);

internal sealed record ExtremesDocument(decimal MaxChange, decimal MinChange, decimal MaxChangePercent, decimal MinChangePercent);

internal sealed record YearDocument(int Year, decimal MaxChange, decimal MinChange, decimal MaxChangePercent, decimal MinChangePercent);

internal sealed record MomentsDocument(int Days, decimal? Mean, decimal? Std);

internal sealed record PeriodDocument(DateOnly From, DateOnly To, int Days, decimal? Mean, decimal? Std);

internal sealed record MonthDocument(string Month, decimal Mean);

// Compact: with every day's rolling volatility a report is mostly numbers, and indentation doubled its size.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StatisticsDocument))]
[JsonSerializable(typeof(MaxDrawdown))]
[JsonSerializable(typeof(LongestDrawdown))]
[JsonSerializable(typeof(PeriodReturn))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>The <c>metrics</c> object, written entry by entry from <see cref="MetricCatalog"/>.</summary>
internal sealed class MetricsJsonConverter : JsonConverter<PerformanceMetrics>
{
    public override PerformanceMetrics Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("reports are written, not read back");

    public override void Write(Utf8JsonWriter writer, PerformanceMetrics value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var metric in MetricCatalog.All)
        {
            writer.WritePropertyName(metric.Key);
            metric.WriteJson(writer, value);
        }
        writer.WriteEndObject();
    }
}
