using System.CommandLine;
using FinNet.Messaging.Kafka;

namespace FinNet.Cli.Commands;

/// <summary>
/// What the service commands (<c>exchange</c>, <c>investor</c>, <c>recorder</c>) share: they need Kafka, and a stop
/// (Ctrl-C, SIGTERM) is their normal end: they finish what they hold, commit, close, and exit 0.
/// </summary>
internal static class ServiceHost
{
    public static KafkaSettings RequiredKafka(KafkaOptions kafka, ParseResult parsed, bool markers = true) =>
        kafka.Read(parsed, markers) ?? throw new InvalidInputException("--kafka BOOTSTRAP_SERVERS is required (for a test broker: ./finnet dev-kafka)");

    public static async Task RunUntilStoppedAsync(Func<Task> service, CancellationToken stop)
    {
        try
        {
            await service();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopped as asked
        }
    }
}
