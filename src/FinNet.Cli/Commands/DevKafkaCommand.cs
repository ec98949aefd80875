using System.CommandLine;
using FinNet.Cli.Output;
using FinNet.Messaging.Kafka;

namespace FinNet.Cli.Commands;

/// <summary>
/// <c>finnet dev-kafka</c>: a test broker to run the services as separate processes on one machine without Kafka
/// installed. librdkafka's mock cluster: in memory, not durable. The first line on stdout is the bootstrap string.
/// </summary>
internal static class DevKafkaCommand
{
    /// <summary>Enough partitions that the full history stays under the mock's per-partition cap (5 MiB or 100,000 message sets).</summary>
    public static Command Create(CliConsole console, CancellationToken stop)
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers", DefaultValueFactory = _ => 3 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of each topic FinNet uses", DefaultValueFactory = _ => KafkaSettings.DefaultPartitions };
        var priceTopic = KafkaOptions.PriceTopicOption();
        var navTopic = KafkaOptions.NavTopicOption();
        brokers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 16) r.AddError("--brokers: between 1 and 16"); });
        partitions.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 256) r.AddError("--partitions: between 1 and 256"); });

        var command = new Command("dev-kafka", """
            Serve a test Kafka cluster (librdkafka's mock cluster: in memory, NOT durable, for development and
            tests only) with FinNet's topics and their dead-letter topics created, until stopped with Ctrl-C.
            The first line on stdout is the bootstrap string, for --kafka.
            """)
        {
            brokers, partitions, priceTopic, navTopic,
        };
        command.SetAction(async (parsed, _) =>
        {
            var topics = new KafkaTopics(parsed.GetValue(priceTopic)!, parsed.GetValue(navTopic)!);
            using var cluster = MockKafkaCluster.StartWithTopics(parsed.GetValue(brokers), parsed.GetValue(partitions), topics);
            console.Out.Profile.Out.Writer.WriteLine(cluster.BootstrapServers);
            await console.Out.Profile.Out.Writer.FlushAsync(stop);
            await console.Error.WriteLineAsync(
                $"finnet dev-kafka: test broker with {parsed.GetValue(brokers)} brokers, topics {string.Join(", ", topics.All)} ({parsed.GetValue(partitions)} partitions each); in memory, not durable; Ctrl-C stops it");
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopping is this command's normal end.
            }
            return FinNetCommandLine.Success;
        });
        return command;
    }
}
