using System.Globalization;
using FinNet.Analyst;
using FinNet.Cli.Pipeline;
using Spectre.Console;

namespace FinNet.Cli.Output;

/// <summary>The table a run or a report ends with: each portfolio's days, final NAV per share and headline metrics.</summary>
internal static class RunSummary
{
    /// <summary>Above this many portfolios the table shows the 10 best and 10 worst by total return, plus totals.</summary>
    private const int MostRowsShown = 20;

    public static void Write(CliConsole console, RunOutcome outcome)
    {
        WriteTable(console, "FinNet run", outcome.Reports);
        var rows = outcome.PricesRecorded + outcome.NavsRecorded;
        var recording = outcome.Recording.TotalSeconds;
        // Rows/s over the recording (first publish to last commit), not over report writing.
        console.Out.WriteLine(outcome.Start is { } start
            ? $"Recorded {outcome.PricesRecorded:N0} prices and {outcome.NavsRecorded:N0} NAVs for {start:yyyy-MM-dd}..{outcome.To:yyyy-MM-dd} in {recording:0.00} s "
                + $"({rows / Math.Max(recording, 1e-3):N0} rows/s); {outcome.Elapsed.TotalSeconds:0.00} s in all, reports included"
            : $"The store already holds everything through {outcome.To:yyyy-MM-dd}: nothing to publish");
        console.Out.WriteLine($"Store: {outcome.Store}");
        WriteWhere(console, outcome.ReportsDirectory, outcome.Reports, outcome.Formats, outcome.FormatsWhy);
    }

    /// <summary>
    /// Every portfolio's row up to <see cref="MostRowsShown"/> portfolios; beyond, the 10 best and the 10 worst by total
    /// return and a totals line (the full table is in the reports).
    /// </summary>
    public static void WriteTable(CliConsole console, string title, IReadOnlyList<PortfolioSummary> summaries)
    {
        if (summaries.Count > MostRowsShown)
        {
            var ranked = summaries.OrderByDescending(s => s.TotalReturn ?? double.NegativeInfinity).ToList();
            WriteRows(console, $"{title}: the 10 best of {summaries.Count:N0} portfolios by total return", ranked.Take(10));
            WriteRows(console, "... and the 10 worst", ranked.TakeLast(10));
            var returns = summaries.Where(s => s.TotalReturn is not null).Select(s => s.TotalReturn!.Value).Order().ToList();
            console.Out.WriteLine(returns.Count == 0
                ? $"{summaries.Count:N0} portfolios, none with a total return"
                : $"{summaries.Count:N0} portfolios, {summaries.Sum(s => (long)s.Days):N0} NAVs: total return mean {TextReport.Percent(returns.Average())}, "
                    + $"median {TextReport.Percent(returns[returns.Count / 2])}, best {TextReport.Percent(returns[^1])}, worst {TextReport.Percent(returns[0])}");
            return;
        }
        WriteRows(console, title, summaries);
    }

    private static void WriteRows(CliConsole console, string title, IEnumerable<PortfolioSummary> summaries)
    {
        var table = new Table().Title(title).AddColumns(
            new TableColumn("Portfolio"), new TableColumn("Name"), new TableColumn("Days").RightAligned(),
            new TableColumn("First"), new TableColumn("Last"), new TableColumn("Final NAV/share").RightAligned(),
            new TableColumn("Total return").RightAligned(), new TableColumn("CAGR").RightAligned(),
            new TableColumn("Volatility").RightAligned(), new TableColumn("Sharpe").RightAligned(), new TableColumn("Max drawdown").RightAligned());
        foreach (var report in summaries)
        {
            table.AddRow(
                Markup.Escape(report.Key),
                Markup.Escape(report.Name),
                report.Days.ToString("N0", CultureInfo.InvariantCulture),
                report.FirstDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
                report.LastDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
                report.FinalNavPerShare?.ToString("0.000000", CultureInfo.InvariantCulture) ?? "-",
                TextReport.Percent(report.TotalReturn),
                TextReport.Percent(report.Cagr),
                TextReport.Percent(report.Volatility),
                report.Sharpe?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a",
                TextReport.Percent(report.MaxDrawdown));
        }
        console.Out.Write(table);
    }

    /// <summary>Where the reports went: the folder, how many files, in which formats (and why), and the page to open first.</summary>
    public static void WriteWhere(CliConsole console, string directory, IReadOnlyList<PortfolioSummary> summaries, ReportFormats formats, string why)
    {
        var files = summaries.Sum(s => s.Files.Count);
        var index = Path.Combine(Path.GetFullPath(directory), HtmlReport.IndexFileName);
        var hasIndex = formats.HasFlag(ReportFormats.Html) || formats.HasFlag(ReportFormats.Index);
        console.Out.WriteLine($"Reports: {Path.GetFullPath(directory)} ({files + (hasIndex ? 1 : 0)} files)" + (hasIndex ? $"; open {index}" : ""));
        console.Out.WriteLine($"Formats: {AnalystOptions.Describe(formats)} ({why})");
    }
}
