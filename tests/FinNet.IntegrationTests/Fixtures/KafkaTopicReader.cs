using Confluent.Kafka;

namespace FinNet.Tests.Fixtures;

/// <summary>What the tests read off a topic to check it: every message, as a plain consumer outside any FinNet code sees it.</summary>
public static class KafkaTopicReader
{
    /// <summary>Every message of a topic (read_uncommitted: all that the mock cluster holds), from the beginning to the end it has now.</summary>
    public static List<Message<string, byte[]>> ReadAll(string bootstrapServers, string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "test-reader", EnablePartitionEof = true }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var ends = Enumerable.Range(0, admin.GetMetadata(topic, TimeSpan.FromSeconds(30)).Topics[0].Partitions.Count).Select(p => new TopicPartition(topic, p))
            .Select(tp => (tp, High: consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30)).High.Value)).Where(e => e.High > 0).ToList();
        consumer.Assign(ends.Select(e => new TopicPartitionOffset(e.tp, Offset.Beginning)));
        var open = ends.Select(e => e.tp).ToHashSet();
        var messages = new List<Message<string, byte[]>>();
        while (open.Count > 0)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException($"reading {topic}");
            if (!result.IsPartitionEOF)
                messages.Add(result.Message);
            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ends.First(e => e.tp == result.TopicPartition).High)
                open.Remove(result.TopicPartition);
        }
        return messages;
    }
}
