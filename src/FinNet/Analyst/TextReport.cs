using System.Globalization;
using System.Text;

namespace FinNet.Analyst;

/// <summary>Writes <c>Inv1_P11_stats.txt</c>: the five statistics as readable text, in the original's order.</summary>
public static class TextReport
{
    public static string FileName(PortfolioReport report) => $"{report.Portfolio.Key}_stats.txt";

    public static string Render(PortfolioReport report)
    {
        var (investor, portfolio, stats) = (report.Investor, report.Portfolio, report.Statistics);
        var text = new StringBuilder();
        text.AppendLine($"FinNet statistics for {portfolio.Key}: \"{portfolio.Name}\" of {investor.Id} \"{investor.Name}\" ({investor.City})");
        text.AppendLine($"Cumulative: {(portfolio.Cumulative ? "yes" : "no")}; shares outstanding: {portfolio.SharesOutstanding.ToString(CultureInfo.InvariantCulture)}");
        text.AppendLine(report.FirstDate is null
            ? "NAV series: no rows"
            : $"NAV series: {report.Series.Count} days, {report.FirstDate:yyyy-MM-dd} to {report.LastDate:yyyy-MM-dd}");
        text.AppendLine("Changes are per share (currency); change percents are in percent (1.5 means 1.5 %).");
        text.AppendLine();

        text.AppendLine("1. Daily NAV change over the full history (the first day has no change)");
        if (stats.Overall is { } all)
        {
            text.AppendLine($"   max change {Number(all.MaxChange),14}    max change % {Number(all.MaxChangePercent),12}");
            text.AppendLine($"   min change {Number(all.MinChange),14}    min change % {Number(all.MinChangePercent),12}");
        }
        else
        {
            text.AppendLine("   n/a (fewer than two days)");
        }
        text.AppendLine();

        text.AppendLine("2. Daily NAV change by year");
        text.AppendLine($"   {"year",-6}{"max change",14}{"min change",14}{"max change %",14}{"min change %",14}");
        foreach (var year in stats.ByYear)
        {
            var e = year.Extremes;
            text.AppendLine($"   {year.Year,-6}{Number(e.MaxChange),14}{Number(e.MinChange),14}{Number(e.MaxChangePercent),14}{Number(e.MinChangePercent),14}");
        }
        if (stats.ByYear.Count == 0)
            text.AppendLine("   n/a (fewer than two days)");
        text.AppendLine();

        text.AppendLine("3. NAV per share over the full history");
        AppendMoments(text, stats.FullHistory);
        text.AppendLine();

        text.AppendLine($"4. NAV per share from {stats.Period.From:yyyy-MM-dd} to {stats.Period.To:yyyy-MM-dd} (inclusive)");
        AppendMoments(text, stats.InPeriod);
        text.AppendLine();

        text.AppendLine("5. Mean NAV per share by month (most recent first)");
        foreach (var month in stats.MonthlyMeans)
            text.AppendLine($"   {month.Year:0000}-{month.Month:00} {Number(month.Mean),14}");
        return text.ToString();
    }

    private static void AppendMoments(StringBuilder text, NavMoments moments)
    {
        text.AppendLine($"   days {moments.Count}");
        text.AppendLine($"   mean    {Number(moments.Mean),14}");
        text.AppendLine($"   std dev {Number(moments.StandardDeviation),14}   (sample, N - 1)");
    }

    /// <summary>Six decimal places, as stored; n/a where undefined.</summary>
    internal static string Number(decimal? value) =>
        value is { } v ? Math.Round(v, 6, MidpointRounding.ToEven).ToString("0.000000", CultureInfo.InvariantCulture) : "n/a";
}
