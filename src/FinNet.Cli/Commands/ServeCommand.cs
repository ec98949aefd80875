using System.CommandLine;
using FinNet.Analyst;
using FinNet.Cli.Dashboard;
using FinNet.Cli.Output;
using FinNet.Cli.Pipeline;
using FinNet.Network;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace FinNet.Cli.Commands;

/// <summary>
/// <c>finnet serve</c>: the live dashboard and its API over a store's history, following the store as new NAVs are
/// recorded into it (by <c>finnet run</c> or a recorder in another process), until stopped.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console, CancellationToken stop)
    {
        var listen = Listen();
        var store = CommonOptions.Store("Store to follow: sqlite:PATH, or mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE], or mysql:KEY=VALUE;...");
        var network = CommonOptions.Network();
        var benchmark = CommonOptions.Benchmark();
        var riskFree = CommonOptions.RiskFreeRate();
        var period = CommonOptions.Period();
        var command = new Command("serve", """
            Serve the live dashboard: every portfolio's figures (those of 'finnet report') kept up to date as NAVs
            are recorded into the store, on web pages, a JSON API, an event stream, /healthz and /metrics.
            Runs until stopped (Ctrl-C, SIGTERM), then exits 0.
            """)
        {
            listen, store, network, benchmark, riskFree, period,
        };
        command.SetAction(async (parsed, _) =>
        {
            var address = DashboardHost.ParseListen(parsed.GetValue(listen)!);
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var options = new AnalystOptions("", parsed.GetValue(period)!, ReportFormats.Json, parsed.GetValue(benchmark)!, parsed.GetValue(riskFree));
            var level = parsed.GetValue(CommonOptions.LogLevel);
            using var logging = Logging.Create(level);
            await using var opened = Stores.Open(parsed.GetValue(store)!, logging, mustExist: true);
            if (await opened.ReadProvenanceAsync(stop) is { } provenance && provenance.NetworkFingerprint != loaded.Fingerprint)
                throw new InvalidInputException($"store {opened.Location} was recorded from a different network; pass the same --network file");
            var analyst = new LiveAnalyst(loaded, options);
            await ServeAsync(analyst, new StoreFollower(opened, analyst, logging.CreateLogger<StoreFollower>()).RunAsync, address, level, console, stop);
            return FinNetCommandLine.Success;
        });
        return command;
    }

    public static Option<string> Listen() => new("--listen")
    {
        Description = "Address to serve the dashboard on; loopback unless you name another (http://0.0.0.0:PORT for every interface), port 0 for a free one",
        DefaultValueFactory = _ => DashboardHost.DefaultListen,
        HelpName = "url",
    };

    /// <summary>Serves while <paramref name="feed"/> runs, until stopped; prints <c>serving on URL</c> first.</summary>
    public static async Task ServeAsync(LiveAnalyst analyst, Func<CancellationToken, Task> feed, Uri address, LogLevel level, CliConsole console, CancellationToken stop)
    {
        var (app, url) = await DashboardHost.StartAsync(analyst, address, level, stop);
        await using (app)
        {
            console.Out.WriteLine($"serving on {url}");
            await ServiceHost.RunUntilStoppedAsync(() => feed(stop), stop);
            await app.StopAsync(CancellationToken.None);
        }
    }
}
