using System.Diagnostics;
using Confluent.Kafka;
using FinNet.Exchanges;
using FinNet.Investors;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The investor's side of Kafka: reads the whole price topic (from its beginning: an investor's state is a function
/// of the prices), turns it into whole trading days in date order (<see cref="PriceDateGate"/>), values them, and
/// publishes the NAVs dated after the last one its portfolios already have on the NAV topic, in transactions.
/// </summary>
/// <remarks>
/// Delivery: the restart state is the NAV topic itself, read back (read_committed) before consuming, so a restart on
/// any machine finds it; no local file and no committed offsets are involved (the mock cluster does not store
/// transactional offset commits). On a real broker the transactional id <c>finnet-investor-&lt;id&gt;</c> fences an
/// older instance, and read_committed readers never see an aborted NAV.
/// </remarks>
/// <para>
/// Untrusted input: a price or marker that <see cref="IncomingMessages"/> rejects (malformed, invalid for the network,
/// misplaced) is logged and ignored here (the recorder, which reads every message, dead-letters it); of two prices
/// for one (ticker, date) on its partition, the first by offset is the one valued, as the recorder stores it.
/// </para>
internal sealed class PriceValuation(KafkaClients clients, KeyPartitioner partitioner, PricePublishing publishing, IncomingMessages incoming)
{
    /// <summary>Publish once this many NAVs are pending: bounds a transaction's size (and memory) while catching up on years of prices.</summary>
    private const int MaxPendingNavs = 1000;

    /// <summary>...or once NAVs have waited this long: keeps live NAVs flowing when prices trickle in.</summary>
    private static readonly TimeSpan MaxPendingAge = TimeSpan.FromMilliseconds(200);

    private KafkaTopics Topics => clients.Topics;

    public void Run(PriceSubscription subscription, Func<IReadOnlyList<PriceQuote>, IReadOnlyList<NavUpdate>> valuer, Func<IReadOnlyDictionary<TopicPartition, long>?> priceEnd, CancellationToken cancellationToken)
    {
        using var producer = clients.Producer($"finnet-investor-{subscription.InvestorId}");
        // First take over the transactional id: on a real broker this fences an older instance and aborts the
        // transaction it left open, so that reading the NAV topic back (read_committed) is not held up by it.
        producer.InitTransactions(KafkaClients.Timeout);
        var published = PublishedNavDates(clients, incoming, $"Investor {subscription.InvestorId}", subscription.PortfolioKeys.ToHashSet(StringComparer.Ordinal),
            () => LastCompletePriceDate(clients, publishing, subscription.ExchangeIds));
        var group = $"finnet-investor-{subscription.InvestorId}";
        using var consumer = clients.Consumer(group);
        // Every price partition, by hand: an investor reads the whole price stream (its group only names it).
        var partitions = Enumerable.Range(0, partitioner.Partitions).Select(p => new TopicPartition(Topics.Prices, p)).ToList();
        consumer.Assign(partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        var role = $"Investor {subscription.InvestorId}";
        Log.PartitionsAssigned(clients.Logger, role, group, ConsumerProgress.Describe(partitions));
        var progress = new ConsumerProgress(role, "NAVs", clients.Logger);
        // On one partition prices arrive in order (the original setup, with producers that send no markers): the
        // investor's own rule applies, a date is complete once every held stock is priced.
        var gate = partitioner.Partitions > 1 ? new PriceDateGate(subscription.ExchangeIds, partitioner.Partitions) : null;
        var positions = new Dictionary<TopicPartition, long>();
        var pending = new List<NavUpdate>();
        var sinceCommit = Stopwatch.StartNew();

        void Value(IReadOnlyList<PriceQuote> prices)
        {
            foreach (var nav in valuer(prices))
            {
                if (!published.TryGetValue(nav.PortfolioKey, out var last) || nav.Date > last)
                    pending.Add(nav);
            }
        }

        bool Step(ConsumeResult<string, byte[]>? result)
        {
            if (result is not null)
            {
                positions[result.TopicPartition] = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
                if (!result.IsPartitionEOF)
                {
                    switch (incoming.ReadPrice(result))
                    {
                        case PriceTopicMessage.Price { Quote: var quote } when gate is null:
                            Value([quote]);
                            break;
                        case PriceTopicMessage.Price { Quote: var quote }:
                            gate.AddPrice(quote, result.Partition.Value);
                            break;
                        case PriceTopicMessage.Marker { EndOfDay: var marker }:
                            gate?.AddMarker(marker, result.Offset.Value);
                            break;
                        case PriceTopicMessage.Malformed { Reason: var reason }:
                            Log.MessageIgnored(clients.Logger, $"Investor {subscription.InvestorId}", Topics.Prices, result.Partition.Value, result.Offset.Value, reason);
                            break; // the recorder, which reads every price, is the one that dead-letters it
                    }
                    if (gate is not null)
                    {
                        foreach (var day in gate.Release())
                            Value(day);
                    }
                }
            }
            // Drained (one-process run): every price published before the end was read.
            var drained = (result is null || result.IsPartitionEOF) && priceEnd() is { } end && end.All(e => positions.GetValueOrDefault(e.Key) >= e.Value);
            // Published when the prices pause (nothing within a poll), when drained, or by the bounds. Not at each
            // partition's end: an investor that keeps up with the exchanges reaches one of the 16 ends every few
            // messages, and a transaction each time (two NAVs in it) held the default history back by seconds.
            if (pending.Count > 0 && (result is null || drained || pending.Count >= MaxPendingNavs || sinceCommit.Elapsed > MaxPendingAge))
            {
                PublishInTransaction(producer, pending);
                foreach (var nav in pending)
                    published[nav.PortfolioKey] = nav.Date;
                progress.Add(pending.Count, consumer);
                pending.Clear();
                sinceCommit.Restart();
            }
            else if (result is null)
            {
                progress.Tick(consumer);
            }
            return !drained;
        }

        ConsumeLoop.RunAsync(consumer, clients.Logger, result => ValueTask.FromResult(Step(result)), cancellationToken, progress.Stopping).GetAwaiter().GetResult();
    }

    /// <summary>NAVs in one transaction (<see cref="KafkaTransactions"/>).</summary>
    private void PublishInTransaction(IProducer<string, byte[]> producer, List<NavUpdate> navs) => KafkaTransactions.Publish(producer, clients.Logger, () =>
    {
        foreach (var nav in navs)
            producer.Produce(Topics.Navs, new Message<string, byte[]> { Key = nav.PortfolioKey, Value = KafkaWire.Nav(nav) });
    });

    /// <summary>
    /// The latest NAV date on the NAV topic (read_committed) of each of <paramref name="keys"/>: where their output
    /// resumes. Only valid NAVs count, and none dated after <paramref name="lastPriceDate"/> (no price exists for it
    /// yet, so no investor valued it: someone else wrote it). A scan of the whole topic: what an investor does at
    /// each start, and a valuation worker once, for portfolios the state topic has no snapshot of.
    /// </summary>
    /// <param name="lastPriceDate">Asked only when the NAV topic holds anything (on a new cluster, reading the price
    /// topic back for it was most of a worker's 0.8 s start).</param>
    internal static Dictionary<string, DateOnly> PublishedNavDates(KafkaClients clients, IncomingMessages incoming, string who, IReadOnlySet<string> keys, Func<DateOnly?> lastPriceDate)
    {
        var latest = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        var ranges = clients.HighWatermarks(clients.Topics.Navs).Where(e => e.Value > 0).ToDictionary(e => e.Key, e => (From: (long)Offset.Beginning, End: e.Value));
        if (ranges.Count == 0)
            return latest;
        var bound = lastPriceDate();
        using var consumer = clients.ReadBackConsumer();
        ConsumeLoop.ReadToEnd(consumer, ranges, result =>
        {
            if (result.Message.Key is null || !keys.Contains(result.Message.Key))
                return;
            var (nav, problem) = incoming.ReadNav(result);
            if (nav is null || nav.Date > bound)
            {
                Log.MessageIgnored(clients.Logger, who, clients.Topics.Navs, result.Partition.Value, result.Offset.Value,
                    problem ?? $"restart state: dated after the last complete price date {bound:yyyy-MM-dd}");
                return;
            }
            if (!latest.TryGetValue(nav.PortfolioKey, out var date) || nav.Date > date)
                latest[nav.PortfolioKey] = nav.Date;
        });
        return latest;
    }

    /// <summary>
    /// The last date every one of <paramref name="exchangeIds"/> has completely published (from the exchanges'
    /// end-of-day markers, read back from the end of each partition); null without markers, when no bound is known.
    /// </summary>
    internal static DateOnly? LastCompletePriceDate(KafkaClients clients, PricePublishing publishing, IEnumerable<string> exchangeIds)
    {
        if (!clients.Settings.Markers)
            return null;
        var days = publishing.LastPublishedDays([.. exchangeIds]);
        return days.Count == 0 || days.Values.Any(d => d is null) ? null : days.Values.Min();
    }
}
