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

    /// <summary>A consumer in <paramref name="groupId"/>; with a <paramref name="role"/>, it logs each partition it gains or loses as that role.</summary>
    public IConsumer<string, byte[]> Consumer(string groupId, string? role = null)
    {
        var builder = ConsumerBuilder(groupId);
        if (role is not null)
        {
            // Handlers that return nothing leave the assignment as the group made it.
            builder.SetPartitionsAssignedHandler((_, gained) => Log.PartitionsAssigned(logger, role, groupId, ConsumerProgress.Describe(gained)))
                .SetPartitionsRevokedHandler((_, lost) => Log.PartitionsRevoked(logger, role, groupId, ConsumerProgress.Describe(lost.Select(p => p.TopicPartition))))
                .SetPartitionsLostHandler((_, lost) => Log.PartitionsLost(logger, role, groupId, ConsumerProgress.Describe(lost.Select(p => p.TopicPartition))));
        }
        return builder.Build();
    }

    /// <summary>
    /// A consumer for bounded reads back (<see cref="ConsumeLoop.ReadToEnd"/>: restart state, the exchanges' last
    /// days, snapshots), outside any group's assignment. A fetch that reaches a partition's end is held by the broker
    /// for up to fetch.wait.max.ms (500 ms by default) waiting for more; a read back only wants to know it is at the
    /// end, so it waits 10 ms: a takeover's snapshot read went from about 0.5 s to a few milliseconds.
    /// </summary>
    public IConsumer<string, byte[]> ReadBackConsumer()
    {
        var config = settings.Consumer("finnet-read-back");
        config.FetchWaitMaxMs = 10;
        return Builder(config).Build();
    }

    /// <summary>A consumer's builder with the settings and the log routing in place, for a caller that adds its own rebalance handlers.</summary>
    public ConsumerBuilder<string, byte[]> ConsumerBuilder(string groupId) => Builder(settings.Consumer(groupId));

    private ConsumerBuilder<string, byte[]> Builder(ConsumerConfig config) =>
        new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, m) => LibraryLog(logger, settings, m));

    /// <summary>Each partition's high watermark (the offset the next message will get): how far a reader has to get to have read everything so far.</summary>
    public Dictionary<TopicPartition, long> HighWatermarks(string topic)
    {
        using var consumer = Consumer("finnet-watermarks");
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics[0].Partitions.Count;
        return Enumerable.Range(0, partitions)
            .Select(p => new TopicPartition(topic, p))
            .ToDictionary(tp => tp, tp => Watermarks(consumer, tp).High.Value);
    }

    /// <summary>
    /// One partition's watermarks, retrying what the cluster may fix (a broker down for a moment, a leader moving,
    /// a broker handle replaced) for up to <see cref="Timeout"/>: a watermark query is not worth ending a service over.
    /// </summary>
    public static WatermarkOffsets Watermarks(IConsumer<string, byte[]> consumer, TopicPartition partition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return consumer.QueryWatermarkOffsets(partition, Timeout);
            }
            catch (KafkaException e) when (!e.Error.IsFatal && clock.Elapsed < Timeout)
            {
                Thread.Sleep(RetryPause);
            }
        }
    }

    /// <summary>The pause between two attempts of a query the cluster may answer in a moment.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

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
