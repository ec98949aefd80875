using Confluent.Kafka;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The process's one idempotent, non-transactional producer (prices, markers, dead letters), built on first use.
/// It produces without waiting for each acknowledgement; the first failed delivery is kept and thrown by the next
/// publish or <see cref="Flush"/>, so nothing fails silently.
/// </summary>
internal sealed class PublishingProducer(KafkaClients clients) : IDisposable
{
    /// <summary>How long to let librdkafka drain its queue when the local queue is full, before trying again.</summary>
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private IProducer<string, byte[]>? _producer;
    private Exception? _deliveryError;

    /// <summary>Produces without waiting for the acknowledgement (the delivery report records a failure); waits while the local queue is full.</summary>
    public void Produce(TopicPartition target, Message<string, byte[]> message, CancellationToken cancellationToken)
    {
        var producer = Producer();
        while (true)
        {
            try
            {
                producer.Produce(target, message, report =>
                {
                    if (report.Error.IsError)
                        Interlocked.CompareExchange(ref _deliveryError, new KafkaException(report.Error), null);
                });
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                producer.Poll(QueueFullWait);
            }
        }
    }

    /// <summary>Waits until everything produced so far is acknowledged (acks=all); throws if anything failed.</summary>
    public void Flush(CancellationToken cancellationToken)
    {
        _producer?.Flush(cancellationToken);
        ThrowIfDeliveryFailed();
    }

    private IProducer<string, byte[]> Producer()
    {
        lock (_lock)
            return _producer ??= clients.Producer();
    }

    public void ThrowIfDeliveryFailed()
    {
        if (Volatile.Read(ref _deliveryError) is { } error)
            throw new InvalidOperationException($"publishing to Kafka failed: {error.Message}", error);
    }

    public void Dispose()
    {
        _producer?.Flush(KafkaClients.Timeout);
        _producer?.Dispose();
    }
}
