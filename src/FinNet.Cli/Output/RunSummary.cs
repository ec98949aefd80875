using System.Globalization;
using FinNet.Analyst;
using FinNet.Cli.Pipeline;
using Spectre.Console;

namespace FinNet.Cli.Output;

/// <summary>The table a run or a report ends with: each portfolio's days, final NAV per share and headline metrics.</summary>
internal static class RunSummary
{
    public static void Write(CliConsole console, RunOutcome outcome)
    {
        WriteTable(console, "FinNet run", outcome.Reports);
        var seconds = outcome.Elapsed.TotalSeconds;
        var messages = outcome.PricesRecorded + outcome.NavsRecorded;
        console.Out.WriteLine(outcome.Start is { } start
            ? $"Recorded {outcome.PricesRecorded:N0} prices and {outcome.NavsRecorded:N0} NAVs for {start:yyyy-MM-dd}..{outcome.To:yyyy-MM-dd} in {seconds:0.00} s ({messages / Math.Max(seconds, 1e-3):N0} messages/s)"
            : $"The store already holds everything through {outcome.To:yyyy-MM-dd}: nothing to publish");
        console.Out.WriteLine($"Store: {outcome.Store}");
        WriteWhere(console, outcome.ReportsDirectory, outcome.Reports);
    }

    public static void WriteTable(CliConsole console, string title, IReadOnlyList<PortfolioSummary> summaries)
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

    /// <summary>Where the reports went: the folder, how many files, and the page to open first.</summary>
    public static void WriteWhere(CliConsole console, string directory, IReadOnlyList<PortfolioSummary> summaries)
    {
        var files = summaries.Sum(s => s.Files.Count);
        var index = Path.Combine(Path.GetFullPath(directory), HtmlReport.IndexFileName);
        var hasIndex = summaries.Any(s => s.Files.Any(f => f.EndsWith(".html", StringComparison.Ordinal)));
        console.Out.WriteLine($"Reports: {Path.GetFullPath(directory)} ({files + (hasIndex ? 1 : 0)} files)" + (hasIndex ? $"; open {index}" : ""));
    }
}
