using Confluent.Kafka;
using FinNet.Exchanges;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The exchange's side of Kafka: a trading day's closes to the price topic, keyed by ticker on the ticker's
/// partition, then (with markers on) an end-of-day marker on every partition saying how many prices of that date
/// went there; and, for a restarted exchange, the last day it fully published.
/// </summary>
internal sealed class PricePublishing(KafkaClients clients, PublishingProducer producer, KeyPartitioner partitioner)
{
    /// <summary>
    /// The resume scan reads back from a partition's end this many messages first, then four times as many, and so
    /// on: a day's prices and markers are a few hundred messages, so the first window almost always holds the latest marker.
    /// </summary>
    private const long FirstScanWindow = 256;

    private string Topic => clients.Topics.Prices;

    public void PublishTradingDay(string exchangeId, DateOnly date, IReadOnlyList<PriceQuote> closes, CancellationToken cancellationToken)
    {
        producer.ThrowIfDeliveryFailed();
        var counts = new int[partitioner.Partitions];
        foreach (var quote in closes)
        {
            var partition = partitioner.PartitionOf(quote.Ticker);
            counts[partition]++;
            Produce(partition, quote.Ticker, KafkaWire.Price(quote), cancellationToken);
        }
        if (clients.Settings.Markers)
        {
            for (var partition = 0; partition < partitioner.Partitions; partition++)
            {
                var marker = new EndOfDayMarker(exchangeId, date, partition, counts[partition], Closed: false);
                Produce(partition, exchangeId, KafkaWire.Marker(marker), cancellationToken);
            }
        }
    }

    /// <summary>
    /// The last day <paramref name="exchangeId"/> fully published: the least, over the price topic's partitions,
    /// of the latest date it marked there (null if it has not marked every partition yet).
    /// </summary>
    public DateOnly? LastPublishedDay(string exchangeId) => LastPublishedDays([exchangeId])[exchangeId];

    /// <summary>
    /// <see cref="LastPublishedDay"/> of several exchanges, in one read back from the end of every partition at
    /// once, in growing windows, until each exchange's latest marker on each partition has shown up (a read per
    /// partition and exchange cost a fetch round trip each: seconds on 16 partitions).
    /// </summary>
    public Dictionary<string, DateOnly?> LastPublishedDays(IReadOnlyCollection<string> exchangeIds)
    {
        using var consumer = clients.ReadBackConsumer();
        var partitions = Enumerable.Range(0, partitioner.Partitions).Select(p => new TopicPartition(Topic, p)).ToList();
        // The latest marker of each exchange on each partition, once seen.
        var last = new Dictionary<(string Exchange, int Partition), DateOnly>();
        ConsumeLoop.ReadBackFromEnd(consumer, partitions, FirstScanWindow, growth: 4, result =>
        {
            if (KafkaWire.ReadPriceTopic(result.Message.Value, result.Partition.Value) is PriceTopicMessage.Marker { EndOfDay: var m } && exchangeIds.Contains(m.ExchangeId))
                last[(m.ExchangeId, result.Partition.Value)] = m.Date; // in offset order: the latest wins
        }, tp => exchangeIds.All(e => last.ContainsKey((e, tp.Partition.Value))));
        return exchangeIds.ToDictionary(e => e, e => partitions.All(tp => last.ContainsKey((e, tp.Partition.Value)))
            ? partitions.Min(tp => last[(e, tp.Partition.Value)])
            : (DateOnly?)null);
    }

    private void Produce(int partition, string key, byte[] value, CancellationToken cancellationToken) =>
        producer.Produce(new TopicPartition(Topic, partition), new Message<string, byte[]> { Key = key, Value = value }, cancellationToken);
}
