using System.CommandLine;
using FinNet.Analyst;
using FinNet.Cli.Output;
using FinNet.Cli.Pipeline;
using FinNet.Exchanges;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Commands;

/// <summary>
/// <c>finnet run</c>: the whole network in one process: the exchanges, investors and recorder of the network file
/// (through the in-process bus, into SQLite or MySQL), then the analyst.
/// </summary>
internal static partial class RunCommand
{
    public static Command Create(CliConsole console, CancellationToken stop)
    {
        var from = CommonOptions.Date("--from", "First day to publish [default: 2000-01-01]");
        var to = CommonOptions.Date("--to", "Last day to publish [default: today, UTC]");
        var seed = CommonOptions.Seed();
        var model = CommonOptions.Model();
        var network = CommonOptions.Network();
        var store = CommonOptions.Store();
        var reports = CommonOptions.Reports();
        var dayInterval = CommonOptions.DayInterval();
        var period = CommonOptions.Period();
        var benchmark = CommonOptions.Benchmark();
        var riskFree = CommonOptions.RiskFreeRate();
        var format = CommonOptions.Format();
        var kafka = new KafkaOptions();
        var reset = new Option<bool>("--reset") { Description = "Drop everything in the store first (needed to change seed, model or network)" };

        var command = new Command("run", """
            Run the whole network in one process: exchanges publish closing prices day by day, investors value
            their portfolios, the recorder stores prices and NAVs, and the analyst writes reports. A run into a
            store that already holds part of the same history resumes after its last complete day.
            """)
        {
            from, to, seed, model, network, store, reports, format, dayInterval, period, benchmark, riskFree, reset,
        };
        kafka.AddTo(command);
        command.SetAction(async (parsed, _) =>
        {
            var settings = new RunSettings(
                parsed.GetValue(from) ?? PriceModels.HistoryStart,
                parsed.GetValue(to) ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime),
                parsed.GetValue(seed), parsed.GetValue(model)!,
                parsed.GetValue(network), parsed.GetValue(store)!, parsed.GetValue(reports)!,
                parsed.GetValue(dayInterval) ?? TimeSpan.Zero, parsed.GetValue(reset), parsed.GetValue(period)!,
                parsed.GetValue(benchmark)!, parsed.GetValue(riskFree), kafka.Read(parsed), AnalystOptions.ParseFormats(parsed.GetValue(format)!));
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            await RunAsync(settings, console, logging, stop);
            return FinNetCommandLine.Success;
        });
        return command;
    }

    private static async Task RunAsync(RunSettings settings, CliConsole console, ILoggerFactory logging, CancellationToken stop)
    {
        var network = NetworkFile.Load(settings.NetworkFile);
        settings.Validate(network);
        CommonOptions.CheckPublishRange(settings.From, settings.To, network.Exchanges, console.Error);
        CommonOptions.EnsureWritableFolder(settings.Reports, "--reports");
        var outcome = await EmbeddedPipeline.RunAsync(settings, network, console, logging, stop);
        RunSummary.Write(console, outcome);
    }
}
