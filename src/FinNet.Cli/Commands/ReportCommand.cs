using System.CommandLine;
using FinNet.Analyst;
using FinNet.Cli.Output;
using FinNet.Cli.Pipeline;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Commands;

/// <summary>
/// <c>finnet report</c>: the analyst on its own. Reads any store and writes the reports of every portfolio (or of
/// those named) in the chosen formats, then prints the summary and where the files went.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console, CancellationToken stop)
    {
        var portfolios = new Argument<string[]>("portfolio")
        {
            Description = "Portfolios to report on, by key (Inv1_P11); default: all",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var store = CommonOptions.Store("Store to read: sqlite:PATH, or mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE], or mysql:KEY=VALUE;...");
        var network = CommonOptions.Network();
        var reports = CommonOptions.Reports();
        var format = CommonOptions.Format();
        var benchmark = CommonOptions.Benchmark();
        var riskFree = CommonOptions.RiskFreeRate();
        var from = CommonOptions.Date("--from", "Analyse from this date (a sub-range is analysed as a series of its own) [default: the first stored]");
        var to = CommonOptions.Date("--to", "Analyse up to this date, inclusive [default: the last stored]");
        var period = CommonOptions.Period();

        var command = new Command("report", """
            Write each portfolio's reports from a store: the original's five statistics, risk and return metrics
            against a benchmark, as text, JSON and a self-contained HTML page with charts, plus index.html
            comparing all portfolios.
            """)
        {
            portfolios, store, network, reports, format, benchmark, riskFree, from, to, period,
        };
        command.SetAction(async (parsed, _) =>
        {
            var options = new AnalystOptions(
                parsed.GetValue(reports)!, parsed.GetValue(period)!, AnalystOptions.ParseFormats(parsed.GetValue(format)!), parsed.GetValue(benchmark)!,
                parsed.GetValue(riskFree), parsed.GetValue(from), parsed.GetValue(to));
            CommonOptions.CheckRange(options.From, options.To);
            CommonOptions.EnsureWritableFolder(options.ReportsDirectory, "--reports");
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            BenchmarkSeries.Validate(options.Benchmark, loaded); // once per command: the analyst takes it as given
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            await using var opened = Stores.Open(parsed.GetValue(store)!, logging, mustExist: true);
            if (await opened.ReadProvenanceAsync(stop) is { } provenance && provenance.NetworkFingerprint != loaded.Fingerprint)
                throw new InvalidInputException($"store {opened.Location} was recorded from a different network; pass the same --network file");
            var named = parsed.GetValue(portfolios) is { Length: > 0 } keys ? keys : null;
            var (formats, why) = AnalystOptions.Resolve(options.Formats, named?.Length ?? loaded.Portfolios.Count, named is not null);
            var analyst = new AnalystService(opened, loaded, logging.CreateLogger<AnalystService>());
            var summaries = await analyst.WriteReportsAsync(options with { Formats = formats }, named, stop);
            RunSummary.WriteTable(console, $"FinNet report: {opened.Location}", summaries);
            RunSummary.WriteWhere(console, options.ReportsDirectory, summaries, formats, why);
            return FinNetCommandLine.Success;
        });
        return command;
    }
}
