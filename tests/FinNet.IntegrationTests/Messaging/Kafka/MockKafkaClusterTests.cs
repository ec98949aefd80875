using Confluent.Kafka;
using FinNet.Messaging.Kafka;
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
}
