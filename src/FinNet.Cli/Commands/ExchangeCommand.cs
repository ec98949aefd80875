using System.CommandLine;
using FinNet.Cli.Output;
using FinNet.Exchanges;
using FinNet.Messaging.Kafka;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Commands;

/// <summary>
/// <c>finnet exchange SE1</c>: one exchange as a process of its own, publishing its days to Kafka and exiting 0
/// after the last; a restarted exchange resumes after the last day it fully published.
/// </summary>
internal static class ExchangeCommand
{
    public static Command Create(CliConsole console, CancellationToken stop)
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
        kafka.AddTo(command);
        command.SetAction(async (parsed, _) =>
        {
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var exchangeId = parsed.GetValue(id)!;
            var exchange = loaded.GetExchange(exchangeId); // one line naming the ids there are, before Kafka is touched
            var settings = ServiceHost.RequiredKafka(kafka, parsed, markers: parsed.GetValue(markers) == "on");
            var first = parsed.GetValue(from) ?? PriceModels.HistoryStart;
            var last = parsed.GetValue(to) ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            CommonOptions.CheckRange(first, last);
            CommonOptions.CheckPublishRange(first, last, [exchange], console.Error);
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            using var bus = await KafkaBus.ConnectAsync(settings, loaded, logging.CreateLogger<KafkaBus>(), stop);
            var start = first;
            if (settings.Markers && bus.LastPublishedDay(exchangeId) is { } done && done >= first)
                start = done.AddDays(1);
            var service = new ExchangeService(exchange, PriceModels.Create(parsed.GetValue(model)!, parsed.GetValue(seed)), TimeProvider.System, logging.CreateLogger<ExchangeService>());
            await ServiceHost.RunUntilStoppedAsync(() => service.RunAsync(bus, start, last, parsed.GetValue(dayInterval) ?? TimeSpan.Zero, stop), stop);
            bus.Flush(CancellationToken.None); // whatever was published is acknowledged before exit
            await console.Error.WriteLineAsync($"finnet exchange {exchangeId}: published {service.PricesPublished:N0} prices, {start:yyyy-MM-dd}..{service.LastPublishedDate?.ToString("yyyy-MM-dd") ?? "(none)"}");
            return FinNetCommandLine.Success;
        });
        return command;
    }
}
