using System.CommandLine;
using FinNet.Cli.Output;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Messaging.Kafka;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Commands;

/// <summary>
/// <c>finnet investor</c>: a valuation worker for the whole network, sharing its portfolios with the other workers
/// through the consumer group <c>finnet-valuation</c>; <c>finnet investor Inv1</c>: one investor's portfolios only, in
/// its own group. Either values prices from Kafka into NAVs until stopped.
/// </summary>
internal static class InvestorCommand
{
    public static Command Create(CliConsole console, CancellationToken stop)
    {
        var id = new Argument<string?>("investor")
        {
            Description = "Investor id, as in the network file (Inv1): only its portfolios, in group finnet-investor-ID. " +
                "Without it: a worker for the whole network, in group finnet-valuation (run any number of them)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var network = CommonOptions.Network();
        var kafka = new KafkaOptions();
        var command = new Command("investor",
            "Value portfolios from the prices on Kafka and publish their NAVs, until stopped. Without an id: a worker for the " +
            "whole network, sharing it with every other worker started (they take over from each other through <nav-topic>.state)")
        {
            id, network,
        };
        kafka.AddTo(command, groups: true);
        command.SetAction(async (parsed, _) =>
        {
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            var investorId = parsed.GetValue(id);
            var investor = investorId is null ? null : loaded.GetInvestor(investorId); // one line naming the ids there are, before Kafka is touched
            var settings = ServiceHost.RequiredKafka(kafka, parsed);
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            using var bus = await KafkaBus.ConnectAsync(settings, loaded, logging.CreateLogger<KafkaBus>(), stop, valuationWorker: investor is null);
            if (investor is null)
            {
                await ServiceHost.RunUntilStoppedAsync(() => bus.RunValuationWorkerAsync(stop), stop);
                await console.Error.WriteLineAsync("finnet investor (valuation worker): stopped");
                return FinNetCommandLine.Success;
            }
            var service = new InvestorService(investor, new Dictionary<string, NavPoint>(), logging.CreateLogger<InvestorService>());
            await ServiceHost.RunUntilStoppedAsync(() => service.RunAsync(bus, PriceSubscription.Of(investor, loaded), stop), stop);
            await console.Error.WriteLineAsync($"finnet investor {investorId}: stopped");
            return FinNetCommandLine.Success;
        });
        return command;
    }
}
