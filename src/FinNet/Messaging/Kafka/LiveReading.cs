using Confluent.Kafka;
using FinNet.Exchanges;
using FinNet.Investors;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The live analyst's side of Kafka: every partition of the price and NAV topics, from their beginning, read by
/// hand (group <c>finnet-analyst</c> only names the reader: it does not split the portfolios, every analyst sees
/// them all, and it commits nothing). Valid prices and NAVs go out in batches: when the topics are quiet, or every
/// <see cref="MaxBatch"/> messages while catching up. A message <see cref="IncomingMessages"/> rejects is skipped
/// here (the recorder dead-letters it).
/// </summary>
internal sealed class LiveReading(KafkaClients clients, IncomingMessages incoming, int pricePartitions, int navPartitions)
{
    private const string Group = "finnet-analyst";
    private const string Role = "Analyst";
    private const int MaxBatch = 5_000;

    /// <param name="receive">Takes each batch (prices, then NAVs).</param>
    /// <param name="reached">Called after each batch and each quiet poll, with the lag (messages) per partition: the cluster answers.</param>
    public Task RunAsync(Action<RecordBatch> receive, Action<IReadOnlyDictionary<string, long>> reached, CancellationToken cancellationToken)
    {
        using var consumer = clients.Consumer(Group, Role);
        var partitions = Enumerable.Range(0, pricePartitions).Select(p => new TopicPartition(clients.Topics.Prices, p))
            .Concat(Enumerable.Range(0, navPartitions).Select(p => new TopicPartition(clients.Topics.Navs, p))).ToList();
        consumer.Assign(partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        Log.PartitionsAssigned(clients.Logger, Role, Group, ConsumerProgress.Describe(partitions));
        var progress = new ConsumerProgress(Role, "messages", clients.Logger);
        var (prices, navs) = (new List<PriceQuote>(), new List<NavUpdate>());
        var positions = new Dictionary<TopicPartition, long>();

        ValueTask<bool> Step(ConsumeResult<string, byte[]>? result)
        {
            if (result is not null)
            {
                positions[result.TopicPartition] = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
                if (!result.IsPartitionEOF)
                {
                    Add(result, prices, navs);
                    if (prices.Count + navs.Count < MaxBatch)
                        return ValueTask.FromResult(true);
                }
            }
            if (prices.Count + navs.Count > 0)
            {
                receive(new RecordBatch(prices, navs));
                progress.Add(prices.Count + navs.Count, consumer);
                (prices, navs) = (new List<PriceQuote>(), new List<NavUpdate>());
            }
            progress.Tick(consumer);
            reached(partitions.ToDictionary(tp => $"{tp.Topic}[{tp.Partition.Value}]", tp => Lag(consumer, tp, positions)));
            return ValueTask.FromResult(true);
        }

        return ConsumeLoop.RunAsync(consumer, clients.Logger, Step, cancellationToken, progress.Stopping);
    }

    private void Add(ConsumeResult<string, byte[]> result, List<PriceQuote> prices, List<NavUpdate> navs)
    {
        if (result.Topic == clients.Topics.Prices)
        {
            if (incoming.ReadPrice(result) is PriceTopicMessage.Price { Quote: var quote })
                prices.Add(quote);
        }
        else if (incoming.ReadNav(result).Nav is { } nav)
        {
            navs.Add(nav);
        }
    }

    /// <summary>Messages not yet read on a partition: its high watermark (as the client last heard it) less the position.</summary>
    private static long Lag(IConsumer<string, byte[]> consumer, TopicPartition partition, Dictionary<TopicPartition, long> positions)
    {
        var high = consumer.GetWatermarkOffsets(partition).High;
        return high == Offset.Unset ? 0 : Math.Max(0, high.Value - positions.GetValueOrDefault(partition));
    }
}
