using System.Globalization;
using FinNet.Cli.Commands;
using Spectre.Console;

namespace FinNet.Cli.Output;

/// <summary>The table a run ends with: each portfolio's days valued, final NAV per share and total return.</summary>
internal static class RunSummary
{
    public static void Write(CliConsole console, RunOutcome outcome)
    {
        var table = new Table().Title("FinNet run").AddColumns(
            new TableColumn("Portfolio"), new TableColumn("Name"), new TableColumn("Days valued").RightAligned(),
            new TableColumn("First"), new TableColumn("Last"), new TableColumn("Final NAV/share").RightAligned(),
            new TableColumn("Total return").RightAligned());
        foreach (var report in outcome.Reports)
        {
            table.AddRow(
                Markup.Escape(report.Portfolio.Key),
                Markup.Escape(report.Portfolio.Name),
                report.Series.Count.ToString("N0", CultureInfo.InvariantCulture),
                report.FirstDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
                report.LastDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
                report.FinalNavPerShare?.ToString("0.000000", CultureInfo.InvariantCulture) ?? "-",
                report.TotalReturn is { } r ? (r * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "n/a");
        }
        console.Out.Write(table);

        var seconds = outcome.Elapsed.TotalSeconds;
        var messages = outcome.PricesRecorded + outcome.NavsRecorded;
        console.Out.WriteLine(outcome.Start is { } start
            ? $"Recorded {outcome.PricesRecorded:N0} prices and {outcome.NavsRecorded:N0} NAVs for {start:yyyy-MM-dd}..{outcome.To:yyyy-MM-dd} in {seconds:0.00} s ({messages / Math.Max(seconds, 1e-3):N0} messages/s)"
            : $"The store already holds everything through {outcome.To:yyyy-MM-dd}: nothing to publish");
        console.Out.WriteLine($"Store: {outcome.Store}");
        console.Out.WriteLine($"Reports: {Path.GetFullPath(outcome.ReportsDirectory)} ({outcome.Reports.Count * 2} files)");
    }
}
