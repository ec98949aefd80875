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
    public DateOnly? LastPublishedDay(string exchangeId)
    {
        using var consumer = clients.Consumer($"finnet-exchange-{exchangeId}");
        DateOnly? least = null;
        for (var partition = 0; partition < partitioner.Partitions; partition++)
        {
            var topicPartition = new TopicPartition(Topic, partition);
            var marks = KafkaClients.Watermarks(consumer, topicPartition);
            DateOnly? last = null;
            // Read back from the end in growing windows until this exchange's latest marker shows up.
            for (var window = FirstScanWindow; last is null; window *= 4)
            {
                var from = Math.Max(marks.Low, marks.High - window);
                ConsumeLoop.ReadToEnd(consumer, new Dictionary<TopicPartition, (long, long)> { [topicPartition] = (from, marks.High) }, result =>
                {
                    if (KafkaWire.ReadPriceTopic(result.Message.Value, partition) is PriceTopicMessage.Marker { EndOfDay: var m } && m.ExchangeId == exchangeId)
                        last = m.Date;
                });
                if (from == marks.Low)
                    break;
            }
            if (last is null)
                return null;
            least = least is null || last < least ? last : least;
        }
        return least;
    }

    private void Produce(int partition, string key, byte[] value, CancellationToken cancellationToken) =>
        producer.Produce(new TopicPartition(Topic, partition), new Message<string, byte[]> { Key = key, Value = value }, cancellationToken);
}
