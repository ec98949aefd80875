using System.CommandLine;
using FinNet.Cli.Output;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging.Kafka;
using FinNet.Network;
using FinNet.Recorder;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Commands;

/// <summary>
/// Each service as a process of its own, talking through Kafka: <c>finnet exchange SE1</c>, <c>finnet investor
/// Inv1</c>, <c>finnet recorder</c>. An exchange ends after its last day; investors and recorders run until
/// stopped. Ctrl-C or SIGTERM stops a service cleanly: it finishes what it holds, commits, closes, and exits 0.
/// </summary>
internal static class ServiceCommands
{
    public static Command Exchange(CliConsole console, CancellationToken stop)
    {
        var id = new Argument<string>("exchange") { Description = "Exchange id, as in the network file (SE1)" };
        var from = CommonOptions.Date("--from", "First day to publish [default: 2000-01-01; a restarted exchange resumes after the last day it fully published]");
        var to = CommonOptions.Date("--to", "Last day to publish, then exit [default: today, UTC]");
        var seed = CommonOptions.Seed();
        var model = CommonOptions.Model();
        var network = CommonOptions.Network();
        var dayInterval = CommonOptions.DayInterval();
        var markers = new Option<string>("--markers")
        {
            Description = "on: an end-of-day marker to every partition after each day; off: prices only (for a one-partition topic shared with the original Python investors)",
            DefaultValueFactory = _ => "on",
            HelpName = "on|off",
        };
        markers.Validators.Add(r => { if (r.GetValueOrDefault<string>() is not ("on" or "off")) r.AddError("--markers: on or off"); });
        var kafka = new KafkaOptions();
        var command = new Command("exchange", "Publish one exchange's daily closing prices to Kafka, day by day, and exit after the last day")
        {
            id, from, to, seed, model, network, dayInterval, markers,
        };
        Add(command, kafka);
        command.SetAction(async (parsed, _) =>
        {
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var exchangeId = parsed.GetValue(id)!;
            if (loaded.Exchanges.All(e => e.Id != exchangeId))
                throw new InvalidInputException($"no exchange '{exchangeId}' in the network (it has {string.Join(", ", loaded.Exchanges.Select(e => e.Id))})");
            var settings = Required(kafka, parsed, markers: parsed.GetValue(markers) == "on");
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            using var bus = await KafkaBus.ConnectAsync(settings, loaded, logging.CreateLogger<KafkaBus>(), stop);
            var first = parsed.GetValue(from) ?? PriceModels.HistoryStart;
            var last = parsed.GetValue(to) ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            var start = first;
            if (settings.Markers && bus.LastPublishedDay(exchangeId) is { } done && done >= first)
                start = done.AddDays(1);
            var service = new ExchangeService(loaded.GetExchange(exchangeId), PriceModels.Create(parsed.GetValue(model)!, parsed.GetValue(seed)), TimeProvider.System, logging.CreateLogger<ExchangeService>());
            await RunUntilStoppedAsync(() => service.RunAsync(bus, start, last, parsed.GetValue(dayInterval) ?? TimeSpan.Zero, stop), stop);
            bus.Flush(CancellationToken.None); // whatever was published is acknowledged before exit
            await console.Error.WriteLineAsync($"finnet exchange {exchangeId}: published {service.PricesPublished:N0} prices, {start:yyyy-MM-dd}..{service.LastPublishedDate?.ToString("yyyy-MM-dd") ?? "(none)"}");
            return FinNetCommandLine.Success;
        });
        return command;
    }

    public static Command Investor(CliConsole console, CancellationToken stop)
    {
        var id = new Argument<string>("investor") { Description = "Investor id, as in the network file (Inv1)" };
        var network = CommonOptions.Network();
        var kafka = new KafkaOptions();
        var command = new Command("investor", "Value one investor's portfolios from the prices on Kafka and publish their NAVs, until stopped")
        {
            id, network,
        };
        Add(command, kafka);
        command.SetAction(async (parsed, _) =>
        {
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var investorId = parsed.GetValue(id)!;
            if (loaded.Investors.All(i => i.Id != investorId))
                throw new InvalidInputException($"no investor '{investorId}' in the network (it has {string.Join(", ", loaded.Investors.Select(i => i.Id))})");
            var settings = Required(kafka, parsed);
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            using var bus = await KafkaBus.ConnectAsync(settings, loaded, logging.CreateLogger<KafkaBus>(), stop);
            var service = new InvestorService(loaded.GetInvestor(investorId), new Dictionary<string, NavPoint>(), logging.CreateLogger<InvestorService>());
            await RunUntilStoppedAsync(() => service.RunAsync(bus, stop), stop);
            await console.Error.WriteLineAsync($"finnet investor {investorId}: stopped");
            return FinNetCommandLine.Success;
        });
        return command;
    }

    public static Command Recorder(CliConsole console, CancellationToken stop)
    {
        var store = CommonOptions.Store();
        var network = CommonOptions.Network();
        var kafka = new KafkaOptions();
        var command = new Command("recorder", "Record the prices and NAVs on Kafka into a store, until stopped (any number may run: they share the work)")
        {
            store, network,
        };
        Add(command, kafka);
        command.SetAction(async (parsed, _) =>
        {
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var settings = Required(kafka, parsed);
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            await using var opened = StoreLocation.Open(parsed.GetValue(store)!, logging);
            await opened.CreateSchemaAsync(stop);
            await opened.WriteReferenceDataAsync(loaded, null, stop);
            using var bus = await KafkaBus.ConnectAsync(settings, loaded, logging.CreateLogger<KafkaBus>(), stop);
            var service = new RecorderService(opened, logging.CreateLogger<RecorderService>());
            await RunUntilStoppedAsync(() => service.RunAsync(bus, stop), stop);
            await console.Error.WriteLineAsync($"finnet recorder: recorded {service.PricesRecorded:N0} prices and {service.NavsRecorded:N0} NAVs into {opened.Location}");
            return FinNetCommandLine.Success;
        });
        return command;
    }

    private static void Add(Command command, KafkaOptions kafka)
    {
        foreach (var option in kafka.All)
            command.Options.Add(option);
    }

    private static KafkaSettings Required(KafkaOptions kafka, ParseResult parsed, bool markers = true) =>
        kafka.Read(parsed, markers) ?? throw new InvalidInputException("--kafka BOOTSTRAP_SERVERS is required (for a test broker: ./finnet dev-kafka)");

    /// <summary>A stop (Ctrl-C, SIGTERM) is a service's normal end, not an interruption.</summary>
    private static async Task RunUntilStoppedAsync(Func<Task> service, CancellationToken stop)
    {
        try
        {
            await service();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
