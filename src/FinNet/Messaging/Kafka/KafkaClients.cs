using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The one place Kafka clients are built: every producer and consumer gets the settings passed through
/// (<see cref="KafkaSettings"/>) and librdkafka's log lines routed into FinNet's logging with setting values redacted.
/// </summary>
internal sealed class KafkaClients(KafkaSettings settings, ILogger logger)
{
    /// <summary>
    /// How long a blocking call to the cluster (metadata, watermarks, transaction commit, a bounded read) may take
    /// before it is an error: long enough for a leader election on a real cluster, short enough to fail visibly.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public KafkaSettings Settings => settings;

    public KafkaTopics Topics => settings.Topics;

    public ILogger Logger => logger;

    public IProducer<string, byte[]> Producer(string? transactionalId = null) =>
        new ProducerBuilder<string, byte[]>(settings.Producer(transactionalId)).SetLogHandler((_, m) => LibraryLog(logger, settings, m)).Build();

    public IConsumer<string, byte[]> Consumer(string groupId) =>
        new ConsumerBuilder<string, byte[]>(settings.Consumer(groupId)).SetLogHandler((_, m) => LibraryLog(logger, settings, m)).Build();

    /// <summary>Each partition's high watermark (the offset the next message will get): how far a reader has to get to have read everything so far.</summary>
    public Dictionary<TopicPartition, long> HighWatermarks(string topic)
    {
        using var consumer = Consumer("finnet-watermarks");
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics[0].Partitions.Count;
        return Enumerable.Range(0, partitions)
            .Select(p => new TopicPartition(topic, p))
            .ToDictionary(tp => tp, tp => consumer.QueryWatermarkOffsets(tp, Timeout).High.Value);
    }

    /// <summary>librdkafka's own log lines, through FinNet's logging and with every setting value redacted.</summary>
    public static void LibraryLog(ILogger logger, KafkaSettings settings, LogMessage message)
    {
        var level = LevelOf(message.Level);
        if (!logger.IsEnabled(level))
            return;
        var redacted = settings.Redact(message.Message);
        Log.KafkaLibrary(logger, level, message.Facility, redacted);
    }

    private static LogLevel LevelOf(SyslogLevel level) => level switch
    {
        <= SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
