using Confluent.Kafka;
using FinNet.Messaging.Kafka;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.IntegrationTests.Messaging.Kafka;

/// <summary>The librdkafka mock cluster is a real Kafka endpoint over loopback TCP, and <c>finnet dev-kafka</c> serves one.</summary>
public sealed class MockKafkaClusterTests
{
    [Fact]
    public async Task Confluent_clients_produce_and_consume_through_the_mock_cluster_over_tcp()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 3);
        cluster.CreateTopic("t", partitions: 4, replication: 3);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, Acks = Acks.All }).Build();

        var delivered = await producer.ProduceAsync("t", new Message<string, string> { Key = "IBM", Value = "252.37" }, TestContext.Current.CancellationToken);
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "g", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Assign(delivered.TopicPartitionOffset);
        var consumed = consumer.Consume(TimeSpan.FromSeconds(30));

        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        Assert.Matches(@"^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){2}$", cluster.BootstrapServers);
        Assert.Equal(("IBM", "252.37"), (consumed.Message.Key, consumed.Message.Value));
    }

    [Fact]
    public async Task Dev_kafka_prints_its_bootstrap_string_first_serves_finnets_topics_and_stops_cleanly()
    {
        using var process = FinNetProcess.Start("dev-kafka", "--brokers", "2", "--partitions", "5");
        var bootstrap = await process.FirstOutputLineAsync();

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        process.Terminate();
        var exit = await process.WaitForExitAsync();

        Assert.Equal(2, metadata.Brokers.Count);
        Assert.Equal(
            [("StockExchange", 5), ("StockExchange.dlq", 5), ("portfolios", 5), ("portfolios.dlq", 5), ("portfolios.state", 5)],
            metadata.Topics.Select(t => (t.Topic, t.Partitions.Count)).Where(t => !t.Topic.StartsWith("__", StringComparison.Ordinal)).Order().ToList());
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task A_topic_the_cluster_cannot_create_is_one_line_naming_it_within_the_timeout()
    {
        // The cluster answers but cannot create topics on request (the mock has no controller to ask): the error
        // names the missing topics and the way out, not an unreachable cluster, and comes within --kafka-timeout
        // (the admin client's own default held the service for 60 s).
        using var cluster = MockKafkaCluster.Start(brokers: 1);
        foreach (var topic in new KafkaTopics().Shared)
            cluster.CreateTopic(topic, partitions: 2, replication: 1);

        var result = await CliRunner.InvokeAsync("exchange", "SE1", "--kafka", cluster.BootstrapServers, "--kafka-timeout", "1s", "--price-topic", "Nope", "--to", "2000-01-07");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"finnet: failed: Kafka at {cluster.BootstrapServers}: missing Nope, Nope.dlq, and the cluster did not create them within 1 s (", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("create them, name existing topics with --price-topic and --nav-topic, or raise --kafka-timeout (a mock cluster cannot create topics on request: finnet dev-kafka creates FinNet's)\n", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }
}
