using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// How to reach the cluster and which topics to use. <see cref="ClientSettings"/> pass through to every client
/// unchanged (SASL, TLS, ...), so FinNet works against a secured cluster; they never appear in logs or errors.
/// </summary>
/// <param name="GroupProtocol">
/// The consumer group protocol of recorders and valuation workers; null (<c>--group-protocol auto</c>) until
/// <see cref="ConnectAsync"/> has asked the brokers, and classic settings meanwhile.
/// </param>
public sealed record KafkaSettings(
    string BootstrapServers,
    IReadOnlyDictionary<string, string> ClientSettings,
    KafkaTopics Topics,
    int Partitions = KafkaSettings.DefaultPartitions,
    short Replication = KafkaSettings.DefaultReplication,
    bool Markers = true,
    TimeSpan? ConnectTimeout = null,
    GroupProtocol? GroupProtocol = null)
{
    /// <summary>How long the first contact (the topics' metadata) may take before the cluster counts as unreachable: <c>--kafka-timeout</c>.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Partitions of a topic FinNet creates: enough for the full history within the mock cluster's 5 MiB per partition, and room for consumers to share.</summary>
    public const int DefaultPartitions = 16;

    /// <summary>Replication of a topic FinNet creates (capped at the number of brokers): survives one broker lost with min.insync.replicas=2.</summary>
    public const short DefaultReplication = 3;

    /// <summary>A client library message with every setting value replaced by ***, so that no secret is printed.</summary>
    public string Redact(string message) =>
        ClientSettings.Values.Where(v => v.Length > 0).Aggregate(message, (text, value) => text.Replace(value, "***", StringComparison.Ordinal));

    public ProducerConfig Producer(string? transactionalId = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            EnableIdempotence = true, // acks=all, no duplicates from the producer's own retries (on a real broker)
            Acks = Acks.All,
            LingerMs = 5,
            TransactionalId = transactionalId,
            // Kafka's standard key hash (the Java client's default): NAVs keyed Inv1_P11 land where any client puts them.
            Partitioner = Partitioner.Murmur2Random,
        };
        return Apply(config);
    }

    public ConsumerConfig Consumer(string groupId)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            // FinNet reads a message's topic, partition, offset, key and value, never its headers or timestamp:
            // not marshalling them per message took the recorder's consuming of the default history from 1.2 to 0.8 s.
            ConsumeResultFields = "topic",
            // A consumer that reads faster than the application takes messages fills its local queue past
            // queued.max.messages.kbytes, and librdkafka then postpones the next fetch by this long (1 s by default)
            // even once the queue has drained: a recorder catching up went quiet for 0.3-0.8 s after every ~50k rows.
            FetchQueueBackoffMs = 10,
        };
        config.GroupProtocol = GroupProtocol;
        if (GroupProtocol != Confluent.Kafka.GroupProtocol.Consumer)
        {
            // A member that dies is noticed after this long and its partitions go to the others (or to its
            // restart); the broker's default minimum. Kafka's 45 s default left a restarted recorder idle that long.
            // With the consumer protocol (KIP-848) both are the broker's (group.consumer.session.timeout.ms and
            // group.consumer.heartbeat.interval.ms), and librdkafka refuses a client that sets them.
            config.SessionTimeoutMs = 6000;
            config.HeartbeatIntervalMs = 2000;
        }
        return Apply(config);
    }

    /// <summary>
    /// These settings with <see cref="GroupProtocol"/> decided from what the brokers said of themselves: as given, or,
    /// when null, consumer (KIP-848) if they offer its ConsumerGroupHeartbeat request and classic if not.
    /// </summary>
    /// <param name="brokersAnswered">Whether the brokers' ApiVersions answer was seen at all (not with api.version.request=false).</param>
    /// <exception cref="InvalidInputException">The consumer protocol was asked for and the brokers do not offer it.</exception>
    private KafkaSettings WithGroupProtocol(bool brokersAnswered, bool consumerProtocolOffered)
    {
        if (GroupProtocol == Confluent.Kafka.GroupProtocol.Classic)
            return this;
        if (consumerProtocolOffered || (GroupProtocol == Confluent.Kafka.GroupProtocol.Consumer && !brokersAnswered))
            return this with { GroupProtocol = Confluent.Kafka.GroupProtocol.Consumer };
        if (GroupProtocol == Confluent.Kafka.GroupProtocol.Consumer)
        {
            throw new InvalidInputException(
                $"--group-protocol consumer: the brokers at {BootstrapServers} do not offer the consumer group protocol (KIP-848: Kafka 4.0 or later); use --group-protocol classic or auto");
        }
        return this with { GroupProtocol = Confluent.Kafka.GroupProtocol.Classic };
    }

    private T Apply<T>(T config) where T : ClientConfig
    {
        foreach (var (key, value) in ClientSettings)
            config.Set(key, value);
        return config;
    }

    /// <summary>
    /// The first contact with the cluster: looks <paramref name="topics"/> up in its metadata and creates only the
    /// missing ones (with <see cref="Partitions"/> and <see cref="Replication"/>); returns each topic's partition
    /// count, whatever it already was, and these settings with <see cref="GroupProtocol"/> decided
    /// (<see cref="WithGroupProtocol"/>).
    /// </summary>
    /// <remarks>
    /// The first contact waits at most <see cref="ConnectTimeout"/>. While no broker has answered, the library's
    /// connection errors (one per retry, many per second) are logged at debug level only: an unreachable cluster
    /// is one line from the caller, not a flood.
    /// librdkafka does not tell an application which requests a broker offers, and a consumer-protocol consumer on a
    /// broker without them waits forever with no error, only a debug line. So, while the group protocol is to be
    /// decided, the admin client learns it the way librdkafka itself does: with debug=feature it logs each broker's
    /// ApiVersions answer ("ApiKey ConsumerGroupHeartbeat (68) Versions 0..1"), which comes before the first metadata.
    /// </remarks>
    /// <exception cref="InvalidInputException">The consumer protocol was asked for and the brokers do not offer it (before any topic is created).</exception>
    public async Task<(IReadOnlyDictionary<string, int> Partitions, KafkaSettings Settings)> ConnectAsync(
        IReadOnlyCollection<string> topics, Action<LogMessage> log, CancellationToken cancellationToken)
    {
        var adminConfig = Apply(new AdminClientConfig { BootstrapServers = BootstrapServers });
        var asking = GroupProtocol != Confluent.Kafka.GroupProtocol.Classic;
        var debugAskedFor = adminConfig.Debug is { Length: > 0 };
        if (asking)
            adminConfig.Debug = debugAskedFor ? adminConfig.Debug + ",feature" : "feature";
        var answered = false;
        var (brokersAnswered, consumerProtocolOffered) = (false, false);
        void Quiet(LogMessage message) => log(answered || message.Level > SyslogLevel.Error ? message : new LogMessage(message.Name, SyslogLevel.Debug, message.Facility, message.Message));
        void Learn(LogMessage message)
        {
            if (asking && message.Facility == "APIVERSION")
            {
                if (message.Message.Contains("Broker API support", StringComparison.Ordinal))
                    Volatile.Write(ref brokersAnswered, true);
                else if (message.Message.Contains("ApiKey ConsumerGroupHeartbeat (68)", StringComparison.Ordinal))
                    Volatile.Write(ref consumerProtocolOffered, true);
            }
            // Debug lines only this question turned on are not the user's to read.
            if (!asking || debugAskedFor || message.Level < SyslogLevel.Debug)
                Quiet(message);
        }
        using var admin = new AdminClientBuilder(adminConfig)
            .SetLogHandler((_, m) => Learn(m))
            .SetErrorHandler((_, e) => Quiet(new LogMessage("admin", e.IsFatal ? SyslogLevel.Critical : SyslogLevel.Error, "ERROR", e.Reason)))
            .Build();
        var timeout = ConnectTimeout ?? DefaultConnectTimeout;
        var counts = Counts(admin, topics, timeout);
        answered = true;
        var settings = WithGroupProtocol(Volatile.Read(ref brokersAnswered), Volatile.Read(ref consumerProtocolOffered));
        var missing = topics.Where(t => !counts.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            var brokers = admin.GetMetadata(KafkaClients.Timeout).Brokers.Count;
            try
            {
                // Bounded like the first contact: a cluster that cannot create topics on request (the mock cluster
                // has no controller to ask) otherwise holds the service for the admin client's 60 s default.
                await admin.CreateTopicsAsync(
                    missing.Select(t => new TopicSpecification
                    {
                        Name = t,
                        NumPartitions = Partitions,
                        ReplicationFactor = Math.Min(Replication, (short)brokers),
                        // Only each state partition's last snapshot matters (they share one key per partition).
                        Configs = t == Topics.State ? new Dictionary<string, string> { ["cleanup.policy"] = "compact" } : null,
                    }),
                    new CreateTopicsOptions { RequestTimeout = timeout });
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                // another service created them first
            }
            catch (KafkaException e)
            {
                // The brokers answered (the metadata above): say what is missing, not that the cluster is unreachable.
                var reason = e is CreateTopicsException failed ? string.Join("; ", failed.Results.Where(r => r.Error.IsError).Select(r => $"{r.Topic}: {r.Error.Reason}").Distinct()) : e.Error.Reason;
                var them = missing.Count == 1 ? "it" : "them";
                throw new ServiceUnavailableException(
                    $"Kafka at {BootstrapServers}: missing {string.Join(", ", missing)}, and the cluster did not create {them} within {timeout.TotalSeconds:0.#} s ({Redact(reason)}); " +
                    $"create {them}, name existing topics with --price-topic and --nav-topic, or raise --kafka-timeout (a mock cluster cannot create topics on request: finnet dev-kafka creates FinNet's)", e);
            }
            cancellationToken.ThrowIfCancellationRequested();
            counts = Counts(admin, topics, KafkaClients.Timeout);
        }
        return (counts, settings);
    }

    private static Dictionary<string, int> Counts(IAdminClient admin, IReadOnlyCollection<string> topics, TimeSpan timeout)
    {
        var metadata = admin.GetMetadata(timeout);
        return metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError && topics.Contains(t.Topic))
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
    }
}
