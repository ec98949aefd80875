using System.Globalization;
using System.Text;

namespace FinNet.Analyst;

/// <summary>
/// Writes <c>Inv1_P11_stats.txt</c>: the five statistics as readable text, in the original's order, then the risk
/// and return metrics, the benchmark comparison and the monthly returns table. Undefined figures read "n/a".
/// </summary>
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
        AppendMetrics(text, report);
        return text.ToString();
    }

    private static void AppendMetrics(StringBuilder text, PortfolioReport report)
    {
        var options = report.Options.Metrics;
        text.AppendLine();
        text.AppendLine($"6. Risk and return metrics (daily returns; annualised with {options.PeriodsPerYear} days a year; risk-free rate {Percent(options.RiskFreeRate)} a year)");
        if (report.Metrics is not { } m)
        {
            text.AppendLine($"   n/a: {report.DataError}");
            return;
        }
        foreach (var metric in MetricCatalog.All)
        {
            if (metric.Text is { } line)
                Line(text, line.Label, line.Value(m, options));
        }

        text.AppendLine();
        if (report.Comparison is { } c)
        {
            text.AppendLine($"7. Versus the benchmark {report.Benchmark!.Description} ({c.Returns:N0} same-date returns)");
            Line(text, "beta", Ratio(c.Beta));
            Line(text, "alpha (annual)", Percent(c.Alpha));
            Line(text, "correlation", Ratio(c.Correlation));
            Line(text, "tracking error", Percent(c.TrackingError));
            Line(text, "information ratio", Ratio(c.InformationRatio));
        }
        else
        {
            text.AppendLine("7. Versus a benchmark: none (--benchmark none)");
        }

        text.AppendLine();
        text.AppendLine("8. Monthly returns (%; compounded from daily returns; blank: no return that month)");
        text.Append("   year ");
        foreach (var month in MonthNames)
            text.Append($"{month,8}");
        text.AppendLine($"{"Year",9}");
        foreach (var row in m.Periods.MonthlyReturns)
        {
            text.Append($"   {row.Year,-5}");
            foreach (var cell in row.Months)
                text.Append($"{(cell is { } v ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) : ""),8}");
            text.AppendLine($"{(row.Total * 100).ToString("0.00", CultureInfo.InvariantCulture),9}");
        }
    }

    internal static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static void Line(StringBuilder text, string label, string value) => text.AppendLine($"   {label,-22}{value}");

    /// <summary>A fraction as a percent with 2 decimals (0.0123 is "1.23 %"); n/a where undefined.</summary>
    internal static string Percent(double? fraction) =>
        fraction is { } f ? (f * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "n/a";

    /// <summary>A ratio with 4 decimals; n/a where undefined.</summary>
    internal static string Ratio(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

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
