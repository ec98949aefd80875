using System.Diagnostics;
using Confluent.Kafka;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Network;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// A valuation worker (<c>finnet investor --kafka</c> without an id): values its share of the whole network's
/// portfolios. Any number of workers share them through the consumer group <see cref="Group"/>, which assigns the
/// partitions of the state topic; a portfolio belongs to the state partition its NAV key hashes to (murmur2, as on the
/// NAV topic). Every worker reads the whole price topic by hand, as a broadcast table (Kafka Streams' GlobalKTable).
/// </summary>
/// <remarks>
/// Exactly once per portfolio: each transaction holds the NAVs valued since the last one and, after they were
/// delivered, one snapshot per owned state partition (<see cref="ValuationSnapshot"/>: each portfolio's last NAV and
/// whole value, and where the price topic resumes). With KIP-447, the transaction also carries the group's metadata,
/// so on a real broker a worker that lost its partitions (a zombie) is fenced at its next commit. A worker that gains
/// partitions reads their last snapshots and resumes the price topic there, so a takeover costs a few records and
/// the prices since the last commit, not the history. A partition without a snapshot (a cluster written before the
/// state topic existed, or a new one) falls back once to what an investor does: value from the beginning of the
/// price topic and publish only after the last NAV each portfolio has on the NAV topic.
/// On every assignment change the worker first commits what it has valued (a revocation, or a gain), then rebuilds
/// its state from the snapshots of what it owns now, its own included: one path for start, takeover and hand-over.
/// </remarks>
internal sealed class ValuationWorker(KafkaClients clients, InvestmentNetwork network, int pricePartitions, int statePartitions, PricePublishing publishing, IncomingMessages incoming)
{
    public const string Group = "finnet-valuation";

    public const string Role = "Valuation worker";

    /// <summary>Publish once NAVs have waited this long: keeps live NAVs flowing when prices trickle in.</summary>
    private static readonly TimeSpan MaxPendingAge = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the group membership is served (rebalance callbacks) while prices keep the worker busy.</summary>
    private static readonly TimeSpan MembershipPoll = TimeSpan.FromMilliseconds(100);

    private readonly KeyPartitioner _statePartitioner = new(statePartitions);
    private readonly List<string> _exchangeIds = [.. network.Exchanges.Select(e => e.Id)];
    private readonly Dictionary<string, Dictionary<string, int>> _listingPositions = network.Exchanges.ToDictionary(
        e => e.Id, e => e.Stocks.Select((s, i) => (s.Ticker, i)).ToDictionary(s => s.Ticker, s => s.i, StringComparer.Ordinal), StringComparer.Ordinal);

    private KafkaTopics Topics => clients.Topics;

    private KafkaClients Clients => clients;

    private IncomingMessages Incoming => incoming;

    public void Run(CancellationToken cancellationToken)
    {
        // Unique per instance: with KIP-447 zombies are fenced through the group's metadata, not the transactional id.
        using var producer = clients.Producer($"{Group}-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        producer.InitTransactions(KafkaClients.Timeout);
        var progress = new ConsumerProgress(Role, "NAVs", clients.Logger);
        using var prices = clients.Consumer(Group);
        using var stateReader = clients.ReadBackConsumer();
        Valuation? valuation = null;
        var owned = new SortedSet<int>();
        var rebuild = false;
        IConsumer<string, byte[]>? membershipConsumer = null;

        void Publish()
        {
            if (valuation is { Pending.Count: > 0 } v && membershipConsumer is { } member)
            {
                v.Publish(producer, member);
                progress.Add(v.Published, prices);
            }
        }

        using var membership = clients.ConsumerBuilder(Group)
            .SetPartitionsAssignedHandler((_, gained) =>
            {
                // With the consumer protocol (KIP-848) partitions are gained without the others being revoked
                // first: commit what was valued of those, as a revocation would, before the state is rebuilt.
                Publish();
                owned.UnionWith(gained.Select(p => p.Partition.Value));
                rebuild = true;
                Log.ValuationAssigned(clients.Logger, Role, Group, ConsumerProgress.Describe(owned.Select(p => new TopicPartition(Topics.State, p))), PortfoliosOf(owned).Count());
            })
            .SetPartitionsRevokedHandler((_, lost) =>
            {
                // Commit what was valued while the partitions are still ours: the next owner resumes after it.
                Publish();
                owned.ExceptWith(lost.Select(p => p.Partition.Value));
                (valuation, rebuild) = (null, true);
                Log.PartitionsRevoked(clients.Logger, Role, Group, ConsumerProgress.Describe(lost.Select(p => p.TopicPartition)));
            })
            .SetPartitionsLostHandler((_, lost) =>
            {
                // Lost, not revoked (the session expired): another worker may own them already, so nothing valued
                // since the last commit is published; it values the same days again from the last snapshot.
                owned.ExceptWith(lost.Select(p => p.Partition.Value));
                (valuation, rebuild) = (null, true);
                Log.PartitionsLost(clients.Logger, Role, Group, ConsumerProgress.Describe(lost.Select(p => p.TopicPartition)));
            })
            .Build();
        membershipConsumer = membership;
        membership.Subscribe(Topics.State);
        var sinceMembership = Stopwatch.StartNew();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (valuation is null || sinceMembership.Elapsed > MembershipPoll)
                {
                    // Serves the group (the rebalance callbacks run in here); the state partitions themselves are
                    // paused, since snapshots are read back only when a worker gains a partition.
                    membership.Consume(valuation is null ? ConsumeLoop.Poll : TimeSpan.Zero);
                    sinceMembership.Restart();
                }
                if (rebuild)
                {
                    rebuild = false;
                    membership.Pause(membership.Assignment);
                    valuation = owned.Count == 0 ? null : Restore(owned, stateReader, prices);
                    continue;
                }
                if (valuation is null)
                    continue;
                var result = ConsumeLoop.Next(prices, clients.Logger);
                if (result is { IsPartitionEOF: false })
                    valuation.Take(result);
                if (valuation.Pending.Count > 0 && (result is null || valuation.Pending.Count >= valuation.MaxPending || valuation.SinceCommit.Elapsed > MaxPendingAge))
                    Publish();
                else if (result is null)
                    progress.Tick(prices);
            }
            Publish();
        }
        finally
        {
            progress.Stopping(prices);
            membership.Close(); // leaves the group at once: the others take the partitions over without waiting for the session to expire
            prices.Close();
        }
    }

    private IEnumerable<Portfolio> PortfoliosOf(SortedSet<int> statePartitions) =>
        network.Portfolios.Where(p => statePartitions.Contains(_statePartitioner.PartitionOf(p.Key)));

    /// <summary>
    /// The valuation of the owned state partitions, restored from their last snapshots (or, for a partition without
    /// one, from the beginning of the price topic and the NAV topic's last dates), with the price consumer placed
    /// where the earliest of them resumes.
    /// </summary>
    private Valuation Restore(SortedSet<int> owned, IConsumer<string, byte[]> stateReader, IConsumer<string, byte[]> prices)
    {
        var clock = Stopwatch.StartNew();
        var read = ValuationSnapshot.ReadLast(clients, stateReader, owned);
        var snapshots = read.ToDictionary(r => r.Key, r => r.Value.Snapshot);
        var stateEnds = read.ToDictionary(r => r.Key, r => r.Value.End);
        var portfolios = PortfoliosOf(owned).ToList();
        var unrestored = portfolios.Where(p => snapshots[_statePartitioner.PartitionOf(p.Key)] is null).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var positions = snapshots.Values.OfType<ValuationSnapshot>().SelectMany(s => s.Portfolios).ToDictionary(StringComparer.Ordinal);
        var published = positions.ToDictionary(p => p.Key, p => p.Value.Last.AsOf, StringComparer.Ordinal);
        if (unrestored.Count > 0)
        {
            foreach (var (key, date) in PriceValuation.PublishedNavDates(clients, incoming, Role, unrestored, () => PriceValuation.LastCompletePriceDate(clients, publishing, _exchangeIds)))
                published[key] = date;
        }
        var resume = unrestored.Count > 0 ? PriceResume.Beginning : snapshots.Values.OfType<ValuationSnapshot>().Select(s => s.Prices).MinBy(r => r.Released) ?? PriceResume.Beginning;
        var investors = portfolios.GroupBy(p => p.InvestorId, StringComparer.Ordinal).Select(owner =>
        {
            var investor = network.GetInvestor(owner.Key) with { Portfolios = [.. owner] };
            var mine = owner.Where(p => positions.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => positions[p.Key], StringComparer.Ordinal);
            return new InvestorService(investor, mine.ToDictionary(m => m.Key, m => m.Value.Last), clients.Logger,
                mine.Where(m => m.Value.Value is not null).ToDictionary(m => m.Key, m => m.Value.Value!.Value), network);
        }).ToList();
        prices.Assign(Enumerable.Range(0, pricePartitions).Select(p => new TopicPartitionOffset(Topics.Prices, p, resume.OffsetOf(p, _exchangeIds) is { } offset ? new Offset(offset) : Offset.Beginning)));
        var scanned = portfolios.Select(p => _statePartitioner.PartitionOf(p.Key)).Distinct().Count(p => snapshots[p] is null);
        Log.ValuationRestored(clients.Logger, Role, portfolios.Count, snapshots.Values.Count(s => s is not null), scanned, resume.Released == DateOnly.MinValue ? "from their beginning" : $"after {resume.Released:yyyy-MM-dd}", clock.Elapsed.TotalMilliseconds);
        return new Valuation(this, new PriceDateGate(_exchangeIds, pricePartitions, resume), investors, published, owned.ToDictionary(p => p, p => portfolios.Where(q => _statePartitioner.PartitionOf(q.Key) == p).Select(q => q.Key).ToList()), stateEnds);
    }

    /// <summary>A released trading day as each exchange's <see cref="ListedCloses"/> where it is whole (read by listing position), else its prices as they are.</summary>
    private IEnumerable<IReadOnlyList<PriceQuote>> ByExchange(IReadOnlyList<PriceQuote> day)
    {
        foreach (var prices in day.GroupBy(p => p.ExchangeId, StringComparer.Ordinal))
        {
            var exchange = network.GetExchange(prices.Key);
            var positions = _listingPositions[prices.Key];
            var closes = new PriceQuote[exchange.Stocks.Count];
            var whole = true;
            foreach (var quote in prices)
            {
                if (positions.TryGetValue(quote.Ticker, out var position))
                    closes[position] = quote;
            }
            foreach (var close in closes)
                whole &= close is not null;
            yield return whole ? new ListedCloses(exchange, closes) : [.. prices];
        }
    }

    /// <summary>The state of the owned portfolios between two assignment changes.</summary>
    private sealed class Valuation(
        ValuationWorker worker, PriceDateGate gate, List<InvestorService> investors, Dictionary<string, DateOnly> published,
        Dictionary<int, List<string>> portfoliosByPartition, Dictionary<int, long> stateEnds)
    {
        /// <summary>
        /// Publish once this many NAVs are pending: a transaction's size while catching up, with the snapshots'
        /// share of it kept small (one snapshot holds every owned portfolio; four days of NAVs per transaction).
        /// At least 5,000: a transaction costs 10-50 ms on the mock cluster, and at 1,000 the default history's
        /// 41 of them were a quarter of a worker's time.
        /// </summary>
        public int MaxPending { get; } = Math.Max(5000, 4 * portfoliosByPartition.Values.Sum(p => p.Count));

        public List<NavUpdate> Pending { get; } = [];

        public Stopwatch SinceCommit { get; } = Stopwatch.StartNew();

        /// <summary>NAVs in the last transaction.</summary>
        public int Published { get; private set; }

        private KafkaTopics Topics => worker.Topics;

        public void Take(ConsumeResult<string, byte[]> result)
        {
            switch (worker.Incoming.ReadPrice(result))
            {
                case PriceTopicMessage.Price { Quote: var quote }:
                    gate.AddPrice(quote, result.Partition.Value);
                    break;
                case PriceTopicMessage.Marker { EndOfDay: var marker }:
                    gate.AddMarker(marker, result.Offset.Value);
                    break;
                case PriceTopicMessage.Malformed { Reason: var reason }:
                    Log.MessageIgnored(worker.Clients.Logger, Role, Topics.Prices, result.Partition.Value, result.Offset.Value, reason);
                    return; // the recorder, which reads every price, is the one that dead-letters it
            }
            foreach (var day in gate.Release())
            {
                foreach (var closes in worker.ByExchange(day))
                {
                    foreach (var investor in investors)
                    {
                        foreach (var nav in investor.Accept(closes))
                        {
                            if (!published.TryGetValue(nav.PortfolioKey, out var last) || nav.Date > last)
                                Pending.Add(nav);
                        }
                    }
                }
            }
        }

        /// <summary>The pending NAVs, then a snapshot of every owned state partition, in one transaction.</summary>
        public void Publish(IProducer<string, byte[]> producer, IConsumer<string, byte[]> membership)
        {
            var positions = investors.SelectMany(i => i.Positions).ToDictionary(p => p.Key, p => new PortfolioPosition(p.Last, p.Value), StringComparer.Ordinal);
            var resume = gate.Resume;
            KafkaTransactions.Publish(producer, worker.Clients.Logger, () =>
            {
                foreach (var nav in Pending)
                    producer.Produce(Topics.Navs, new Message<string, byte[]> { Key = nav.PortfolioKey, Value = KafkaWire.Nav(nav) });
                // The NAVs are delivered before any snapshot is sent: where uncommitted records are visible (the mock
                // cluster, read_uncommitted readers), a snapshot is never seen without the NAVs it accounts for.
                producer.Flush(KafkaClients.Timeout);
                foreach (var (partition, keys) in portfoliosByPartition)
                {
                    var snapshot = new ValuationSnapshot(partition, resume, keys.Where(positions.ContainsKey).ToDictionary(k => k, k => positions[k], StringComparer.Ordinal));
                    producer.Produce(new TopicPartition(Topics.State, partition), new Message<string, byte[]> { Key = partition.ToString(System.Globalization.CultureInfo.InvariantCulture), Value = KafkaWire.Snapshot(snapshot) });
                }
                // KIP-447: the group's generation goes with the transaction, so a worker the group has moved on from
                // is fenced. The offsets (how far the state was read at the last restore) are not used for anything.
                producer.SendOffsetsToTransaction(
                    stateEnds.Select(e => new TopicPartitionOffset(Topics.State, e.Key, e.Value)), membership.ConsumerGroupMetadata, KafkaClients.Timeout);
            });
            foreach (var nav in Pending)
                published[nav.PortfolioKey] = nav.Date;
            Published = Pending.Count;
            Pending.Clear();
            SinceCommit.Restart();
        }
    }
}
