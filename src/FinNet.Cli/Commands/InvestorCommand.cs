using System.CommandLine;
using FinNet.Cli.Output;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Messaging.Kafka;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Commands;

/// <summary><c>finnet investor Inv1</c>: one investor as a process of its own, valuing prices from Kafka into NAVs until stopped.</summary>
internal static class InvestorCommand
{
    public static Command Create(CliConsole console, CancellationToken stop)
    {
        var id = new Argument<string>("investor") { Description = "Investor id, as in the network file (Inv1)" };
        var network = CommonOptions.Network();
        var kafka = new KafkaOptions();
        var command = new Command("investor", "Value one investor's portfolios from the prices on Kafka and publish their NAVs, until stopped")
        {
            id, network,
        };
        kafka.AddTo(command);
        command.SetAction(async (parsed, _) =>
        {
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var investorId = parsed.GetValue(id)!;
            var investor = loaded.GetInvestor(investorId); // one line naming the ids there are, before Kafka is touched
            var settings = ServiceHost.RequiredKafka(kafka, parsed);
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            using var bus = await KafkaBus.ConnectAsync(settings, loaded, logging.CreateLogger<KafkaBus>(), stop);
            var service = new InvestorService(investor, new Dictionary<string, NavPoint>(), logging.CreateLogger<InvestorService>());
            await ServiceHost.RunUntilStoppedAsync(() => service.RunAsync(bus, PriceSubscription.Of(investor, loaded), stop), stop);
            await console.Error.WriteLineAsync($"finnet investor {investorId}: stopped");
            return FinNetCommandLine.Success;
        });
        return command;
    }
}
