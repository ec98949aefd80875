using System.CommandLine;
using FinNet.Cli.Output;
using FinNet.Cli.Pipeline;
using FinNet.Messaging.Kafka;
using FinNet.Network;
using FinNet.Recorder;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Commands;

/// <summary><c>finnet recorder</c>: records what is on Kafka into a store until stopped; any number may run and share the work.</summary>
internal static class RecorderCommand
{
    public static Command Create(CliConsole console, CancellationToken stop)
    {
        var store = CommonOptions.Store();
        var network = CommonOptions.Network();
        var kafka = new KafkaOptions();
        var command = new Command("recorder", "Record the prices and NAVs on Kafka into a store, until stopped (any number may run: they share the work)")
        {
            store, network,
        };
        kafka.AddTo(command, groups: true);
        command.SetAction(async (parsed, _) =>
        {
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var settings = ServiceHost.RequiredKafka(kafka, parsed);
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            // Kafka first: an unreachable cluster is found before the store is opened (which creates a SQLite file).
            using var bus = await KafkaBus.ConnectAsync(settings, loaded, logging.CreateLogger<KafkaBus>(), stop);
            await using var opened = Stores.Open(parsed.GetValue(store)!, logging);
            await Stores.PrepareAsync(opened, loaded, RunProvenance.OfNetwork(loaded.Fingerprint), stop);
            var service = new RecorderService(opened, logging.CreateLogger<RecorderService>());
            await ServiceHost.RunUntilStoppedAsync(() => service.RunAsync(bus, stop), stop);
            await console.Error.WriteLineAsync($"finnet recorder: recorded {service.PricesRecorded:N0} prices and {service.NavsRecorded:N0} NAVs into {opened.Location}");
            return FinNetCommandLine.Success;
        });
        return command;
    }
}
