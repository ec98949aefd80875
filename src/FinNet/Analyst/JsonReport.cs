using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinNet.Analyst;

/// <summary>
/// Writes <c>Inv1_P11_stats.json</c>: the same numbers as the text report at full precision, null where undefined.
/// Key names are stable (snake_case); changes per share in currency, change percents in percent.
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
            stats.MonthlyMeans.Select(m => new MonthDocument($"{m.Year:0000}-{m.Month:00}", m.Mean)).ToList());
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
    IReadOnlyList<MonthDocument> MonthlyMeanNavPerShare);

internal sealed record ExtremesDocument(decimal MaxChange, decimal MinChange, decimal MaxChangePercent, decimal MinChangePercent);

internal sealed record YearDocument(int Year, decimal MaxChange, decimal MinChange, decimal MaxChangePercent, decimal MinChangePercent);

internal sealed record MomentsDocument(int Days, decimal? Mean, decimal? Std);

internal sealed record PeriodDocument(DateOnly From, DateOnly To, int Days, decimal? Mean, decimal? Std);

internal sealed record MonthDocument(string Month, decimal Mean);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(StatisticsDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
