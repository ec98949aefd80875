using System.CommandLine;
using FinNet.Analyst;
using FinNet.Cli.Dashboard;
using FinNet.Cli.Output;
using FinNet.Cli.Pipeline;
using FinNet.Messaging.Kafka;
using FinNet.Network;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace FinNet.Cli.Commands;

/// <summary>
/// <c>finnet serve</c>: the live dashboard and its API over a store's history, following the store as new NAVs are
/// recorded into it (by <c>finnet run</c> or a recorder in another process), or over Kafka's topics, or both, until stopped.
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
        var kafka = new KafkaOptions();
        var command = new Command("serve", """
            Serve the live dashboard: every portfolio's figures (those of 'finnet report') kept up to date as NAVs
            arrive, on web pages, a JSON API, an event stream, /healthz and /metrics. The source: a store, followed
            as NAVs are recorded into it (--store); Kafka's topics from their beginning, live (--kafka); or both: the
            store's history, then Kafka. Runs until stopped (Ctrl-C, SIGTERM), then exits 0.
            """)
        {
            listen, store, network, benchmark, riskFree, period,
        };
        kafka.AddTo(command);
        command.SetAction(async (parsed, _) =>
        {
            var address = DashboardHost.ParseListen(parsed.GetValue(listen)!);
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var options = new AnalystOptions("", parsed.GetValue(period)!, ReportFormats.Json, parsed.GetValue(benchmark)!, parsed.GetValue(riskFree));
            var level = parsed.GetValue(CommonOptions.LogLevel);
            using var logging = Logging.Create(level);
            var analyst = new LiveAnalyst(loaded, options);
            var settings = kafka.Read(parsed);
            // With --kafka, a store is read only when named (its default, finnet.db, is for the store-only case).
            var storeNamed = settings is null || parsed.GetResult(store) is { Implicit: false };
            await using var opened = storeNamed ? Stores.Open(parsed.GetValue(store)!, logging, mustExist: true) : null;
            if (opened is not null && await opened.ReadProvenanceAsync(stop) is { } provenance && provenance.NetworkFingerprint != loaded.Fingerprint)
                throw new InvalidInputException($"store {opened.Location} was recorded from a different network; pass the same --network file");
            var follower = opened is null ? null : new StoreFollower(opened, analyst, logging.CreateLogger<StoreFollower>());
            if (settings is null)
            {
                await ServeAsync(analyst, follower!.RunAsync, address, level, console, stop);
                return FinNetCommandLine.Success;
            }
            using var bus = await KafkaBus.ConnectAsync(settings, loaded, logging.CreateLogger<KafkaBus>(), stop);
            await ServeAsync(analyst, async token =>
            {
                // The store's history first; then everything on the topics, whose NAVs up to each portfolio's last
                // stored date are duplicates (dropped), and the first after it must continue it (else /healthz: gap).
                if (follower is not null)
                    await follower.PollAsync(token);
                await bus.FollowAsync(analyst.Receive, analyst.SourceReached, token);
            }, address, level, console, stop);
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
