using Confluent.Kafka;
using FinNet.Messaging.Kafka;

namespace FinNet.Tests.Messaging.Kafka;

/// <summary>How a consumer's log names its partitions: by topic (ordinal order), consecutive numbers as ranges.</summary>
public sealed class ConsumerProgressTests
{
    [Fact]
    public void Partitions_are_listed_by_topic_with_runs_as_ranges()
    {
        TopicPartition[] partitions = [new("portfolios", 8), new("StockExchange", 1), new("portfolios", 0), new("portfolios", 2), new("portfolios", 1), new("portfolios", 5), new("portfolios", 7)];

        Assert.Equal("StockExchange[1], portfolios[0-2,5,7-8]", ConsumerProgress.Describe(partitions));
        Assert.Equal("no partitions", ConsumerProgress.Describe([]));
    }
}
