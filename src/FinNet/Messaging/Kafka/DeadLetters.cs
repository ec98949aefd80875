using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// Sends a message FinNet cannot use to <c>&lt;topic&gt;.dlq</c>, unchanged, with headers <c>finnet-reason</c> and
/// <c>finnet-source</c> (topic/partition/offset), and logs it. The rest of the stream goes on.
/// </summary>
internal sealed class DeadLetters(PublishingProducer producer, ILogger logger)
{
    public const string ReasonHeader = "finnet-reason";
    public const string SourceHeader = "finnet-source";

    /// <param name="conflict">A valid message that contradicts an earlier one: logged as an error, not a warning.</param>
    public void Send(ConsumeResult<string, byte[]> result, string reason, bool conflict = false)
    {
        if (conflict)
            Log.ConflictDeadLettered(logger, result.Topic, result.Partition.Value, result.Offset.Value, reason);
        else
            Log.DeadLettered(logger, result.Topic, result.Partition.Value, result.Offset.Value, reason);
        var message = new Message<string, byte[]>
        {
            Key = result.Message.Key,
            Value = result.Message.Value,
            Headers =
            [
                new Header(ReasonHeader, Encoding.UTF8.GetBytes(reason)),
                new Header(SourceHeader, Encoding.UTF8.GetBytes($"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}")),
            ],
        };
        producer.Produce(new TopicPartition(KafkaTopics.DeadLetters(result.Topic), Partition.Any), message, CancellationToken.None);
    }
}
