using System.CommandLine;
using FinNet.Analyst;
using FinNet.Cli.Dashboard;
using FinNet.Cli.Output;
using FinNet.Cli.Pipeline;
using FinNet.Exchanges;
using FinNet.Network;
using FinNet.Storage;
using Microsoft.Extensions.Logging;
using Spectre.Console;

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
        var serve = new Option<bool>("--serve")
        {
            Description = "Serve the live dashboard while the run runs (see 'finnet serve'), and after it until stopped (Ctrl-C, SIGTERM: exit 0)",
        };
        var listen = ServeCommand.Listen();

        var command = new Command("run", """
            Run the whole network in one process: exchanges publish closing prices day by day, investors value
            their portfolios, the recorder stores prices and NAVs, and the analyst writes reports. A run into a
            store that already holds part of the same history resumes after its last complete day.
            """)
        {
            from, to, seed, model, network, store, reports, format, dayInterval, period, benchmark, riskFree, reset, serve, listen,
        };
        kafka.AddTo(command, groups: true);
        command.SetAction(async (parsed, _) =>
        {
            var settings = new RunSettings(
                parsed.GetValue(from) ?? PriceModels.HistoryStart,
                parsed.GetValue(to) ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime),
                parsed.GetValue(seed), parsed.GetValue(model)!,
                parsed.GetValue(network), parsed.GetValue(store)!, parsed.GetValue(reports)!,
                parsed.GetValue(dayInterval) ?? TimeSpan.Zero, parsed.GetValue(reset), parsed.GetValue(period)!,
                parsed.GetValue(benchmark)!, parsed.GetValue(riskFree), kafka.Read(parsed), AnalystOptions.ParseFormats(parsed.GetValue(format)!));
            var level = parsed.GetValue(CommonOptions.LogLevel);
            var address = parsed.GetValue(serve) ? DashboardHost.ParseListen(parsed.GetValue(listen)!) : null;
            using var logging = Logging.Create(level);
            await RunAsync(settings, address, level, console, logging, stop);
            return FinNetCommandLine.Success;
        });
        return command;
    }

    private static async Task RunAsync(RunSettings settings, Uri? serveOn, LogLevel level, CliConsole console, ILoggerFactory logging, CancellationToken stop)
    {
        var network = NetworkFile.Load(settings.NetworkFile);
        settings.Validate(network);
        CommonOptions.CheckPublishRange(settings.From, settings.To, network.Exchanges, console.Error);
        CommonOptions.EnsureWritableFolder(settings.Reports, "--reports");
        if (serveOn is null)
        {
            RunSummary.Write(console, await EmbeddedPipeline.RunAsync(settings, network, console, logging, stop));
            return;
        }

        // The dashboard follows the run's store from another connection, as 'finnet serve' would from another
        // process: a resumed run's history is on it from the first poll. An interrupted or failed run ends the
        // serving with it (130, or its usual code); a finished one keeps serving until stopped (0).
        var analyst = new LiveAnalyst(network, settings.Analyst(network.Portfolios.Count).Options);
        var (app, url) = await DashboardHost.StartAsync(analyst, serveOn, level, stop);
        await using (app)
        {
            console.Out.WriteLine($"serving on {url}");
            using var following = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var follower = FollowRunStoreAsync(settings.Store, analyst, logging, following.Token);
            try
            {
                RunSummary.Write(console, await EmbeddedPipeline.RunAsync(settings, network, console, logging, stop));
                console.Out.WriteLine($"still serving on {url} (Ctrl-C to stop)");
                await ServiceHost.RunUntilStoppedAsync(() => Task.Delay(Timeout.Infinite, stop), stop);
            }
            finally
            {
                await following.CancelAsync();
                await ServiceHost.RunUntilStoppedAsync(() => follower, following.Token);
                await app.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Follows the run's store once the run has created it.</summary>
    private static async Task FollowRunStoreAsync(string location, LiveAnalyst analyst, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        IFinNetStore? store = null;
        while (store is null)
        {
            try
            {
                store = Stores.Open(location, logging, mustExist: true);
            }
            catch (InvalidInputException e)
            {
                analyst.SourceFailed($"waiting for the run to create its store ({e.Message})");
                await Task.Delay(StoreFollower.Interval, cancellationToken);
            }
        }
        await using (store)
            await new StoreFollower(store, analyst, logging.CreateLogger<StoreFollower>()).RunAsync(cancellationToken);
    }
}
