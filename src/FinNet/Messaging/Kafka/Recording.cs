using Confluent.Kafka;
using FinNet.Exchanges;
using FinNet.Investors;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The recorder's side of Kafka: one consumer group (<c>finnet-recorder</c>) over the price and NAV topics, so any
/// number of recorders share the partitions; batches out, rejected messages (<see cref="IncomingMessages"/>) and
/// rows the store refused as conflicting to the dead-letter topics.
/// </summary>
/// <remarks>
/// Delivery, in this order per batch: the database commit (a stored row stands, an identical re-delivery changes
/// nothing, a different one is refused), the dead letters flushed, then the offsets committed. A recorder that
/// dies anywhere before the last step gets the batch again, which changes nothing.
/// </remarks>
internal sealed class Recording(KafkaClients clients, PublishingProducer producer, DeadLetters deadLetters, IncomingMessages incoming)
{
    private const string Group = "finnet-recorder";

    /// <summary>How the recorder names itself in its logs (assignments, rows/s, lag).</summary>
    private const string Role = "Recorder";

    /// <summary>
    /// The most rows one batch (one database transaction) takes while the recorder catches up; a caught-up recorder
    /// writes what it has at each quiet poll. Bigger batches store each row for less: a batch loads every series
    /// (portfolio or ticker) it holds into that series' end of the table, likely a page or two each whatever its
    /// rows, as with the in-process bus's SQLite commits. 100,000 rows against the 20,000 this was took the recorder
    /// into MariaDB from a median of 186,949 to 237,522 rows/s (kafka recorder benchmark, 1,000 portfolios x 30 of
    /// 500 stocks, 6 runs each by turns; every pair faster, by 11-29 %). At most two batches are held, one written
    /// and one filling: about 30 MB.
    /// </summary>
    internal const int MaxBatchRows = 100_000;

    /// <summary>Offset commits are retried this often (a coordinator moving, a broker restarting) before the error ends the recorder.</summary>
    private const int CommitAttempts = 20;

    /// <summary>Back-off between commit attempts: 100 ms doubling, at most this long.</summary>
    private static readonly TimeSpan MaxCommitBackoff = TimeSpan.FromSeconds(2);

    public async Task RunAsync(Func<RecordBatch, Task<RecordBatch>> record, Func<IReadOnlyDictionary<TopicPartition, long>?> end, CancellationToken cancellationToken)
    {
        using var consumer = clients.Consumer(Group, Role);
        var progress = new ConsumerProgress(Role, "rows", clients.Logger);
        consumer.Subscribe([clients.Topics.Prices, clients.Topics.Navs]);
        var positions = new Dictionary<TopicPartition, long>();
        var filling = new Batch();
        // The batch being written while the next one fills: consuming and decoding take about as long as the
        // database's bulk load, so the two overlap (with the consumer settings of KafkaSettings.Consumer, the
        // recorder into MariaDB went from 58k to about 100k rows/s: the kafka recorder benchmark).
        // One batch at most is in flight, and batches finish in order, so offsets are still committed in order,
        // each after its own rows.
        (Batch Batch, Task<RecordBatch> Refused)? writing = null;

        async ValueTask FinishWriting()
        {
            if (writing is not var (batch, written))
                return;
            writing = null;
            var refused = await written; // the database commit first...
            progress.Add(batch.Rows, consumer);
            if (refused.Prices.Count + refused.Navs.Count > 0)
                DeadLetterConflicts(batch, refused);
            producer.Flush(cancellationToken); // ...and the dead letters...
            Commit(consumer, batch.Offsets); // ...then the offsets
        }

        async ValueTask<bool> Step(ConsumeResult<string, byte[]>? result)
        {
            if (result is not null)
            {
                positions[result.TopicPartition] = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
                if (result.IsPartitionEOF)
                    return true;
                filling.Offsets[result.TopicPartition] = result.Offset.Value + 1;
                Add(result, filling);
                if (filling.Rows < MaxBatchRows)
                    return true;
            }
            // Quiet (nothing within the poll) or a full batch: the batch before it finishes, and this one is written.
            await FinishWriting();
            if (filling.Offsets.Count > 0)
            {
                // A batch of only messages that went to the dead letters has nothing to store, and finishes the same way.
                var batch = filling;
                writing = (batch, batch.Rows > 0 ? Task.Run(() => record(new RecordBatch(batch.Prices, batch.Navs))) : Task.FromResult(RecordBatch.Empty));
                filling = new Batch();
                return true;
            }
            progress.Tick(consumer);
            // Drained (one-process run): everything published before the end is committed.
            return !(end() is { } ends && ends.All(e => positions.GetValueOrDefault(e.Key) >= e.Value));
        }

        // On the way out the batch in flight still finishes, while the consumer has its assignment.
        await ConsumeLoop.RunAsync(consumer, clients.Logger, Step, cancellationToken,
            stopping: c => { FinishWriting().AsTask().GetAwaiter().GetResult(); progress.Stopping(c); });
    }

    /// <summary>Rows on their way to one database transaction, where each came from, and the offsets to commit after it.</summary>
    private sealed class Batch
    {
        public List<PriceQuote> Prices { get; } = [];

        public List<NavUpdate> Navs { get; } = [];

        /// <summary>
        /// Where each price came from (by its place in <see cref="Prices"/>), so that one the store refuses goes to the
        /// dead letters as it arrived, read back from its topic. Only the place is kept: keeping every consumed
        /// message until its batch was committed moved each of them into the oldest generation of the heap, and the
        /// recorder into MariaDB ran about 25% slower for it (95k against 123k rows/s with 1,000 portfolios, runs by
        /// turns; several gen2 collections a second, 0.35 s of every second paused).
        /// </summary>
        public List<(int Partition, long Offset)> PriceSources { get; } = [];

        /// <summary>Where each NAV came from, by its place in <see cref="Navs"/>, as <see cref="PriceSources"/>.</summary>
        public List<(int Partition, long Offset)> NavSources { get; } = [];

        public Dictionary<TopicPartition, long> Offsets { get; } = [];

        public int Rows => Prices.Count + Navs.Count;
    }

    private void Add(ConsumeResult<string, byte[]> result, Batch batch)
    {
        if (result.Topic == clients.Topics.Prices)
        {
            switch (incoming.ReadPrice(result))
            {
                case PriceTopicMessage.Price { Quote: var quote }:
                    batch.Prices.Add(quote);
                    batch.PriceSources.Add((result.Partition.Value, result.Offset.Value));
                    break;
                case PriceTopicMessage.Malformed { Reason: var reason }:
                    deadLetters.Send(result, reason);
                    break;
            }
        }
        else if (incoming.ReadNav(result) is var (nav, problem))
        {
            if (nav is not null)
            {
                batch.Navs.Add(nav);
                batch.NavSources.Add((result.Partition.Value, result.Offset.Value));
            }
            else
            {
                deadLetters.Send(result, problem!);
            }
        }
    }

    /// <summary>
    /// Sends the rows the store refused as conflicting to the dead letters, each as it arrived: read back from its
    /// topic at its offset (a conflict is rare; keeping every message of a batch for it was not cheap).
    /// </summary>
    private void DeadLetterConflicts(Batch batch, RecordBatch refused)
    {
        var reasons = new Dictionary<TopicPartitionOffset, string>();
        void Refused<T>(List<T> rows, List<(int Partition, long Offset)> sources, IEnumerable<T> refusedRows, string topic, Func<T, string> reason)
            where T : class
        {
            var places = new Dictionary<T, int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < rows.Count; i++)
                places[rows[i]] = i;
            foreach (var row in refusedRows)
            {
                var (partition, offset) = sources[places[row]];
                reasons[new TopicPartitionOffset(topic, partition, offset)] = reason(row);
            }
        }
        Refused(batch.Prices, batch.PriceSources, refused.Prices, clients.Topics.Prices,
            quote => $"conflict: a different price of {quote.Ticker} for {quote.Date:yyyy-MM-dd} came first and stands");
        Refused(batch.Navs, batch.NavSources, refused.Navs, clients.Topics.Navs,
            nav => $"conflict: a different NAV of {nav.PortfolioKey} for {nav.Date:yyyy-MM-dd} came first and stands");
        using var reader = clients.ReadBackConsumer();
        var ranges = reasons.Keys.GroupBy(at => at.TopicPartition).ToDictionary(
            partition => partition.Key, partition => (From: partition.Min(at => at.Offset.Value), End: partition.Max(at => at.Offset.Value) + 1));
        ConsumeLoop.ReadToEnd(reader, ranges, result =>
        {
            if (reasons.Remove(result.TopicPartitionOffset, out var reason))
                deadLetters.Send(result, reason, conflict: true);
        });
        // A message the cluster no longer holds (retention, or the mock's 5 MiB a partition) is still an error to see.
        foreach (var (at, reason) in reasons)
            Log.ConflictGone(clients.Logger, at.Topic, at.Partition.Value, at.Offset.Value, reason);
    }

    /// <summary>
    /// Commits the recorder's offsets, retrying what the broker may fix: the batch is already in the database, and
    /// if this process dies first, its re-delivery changes nothing. A commit the group refuses because it is
    /// rebalancing or has moved on without this member is given up, not retried: retrying would keep the recorder
    /// out of the rebalance (it only rejoins by consuming), and whoever owns the partitions next reads the batch
    /// again, which changes nothing.
    /// </summary>
    private void Commit(IConsumer<string, byte[]> consumer, Dictionary<TopicPartition, long> offsets)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                consumer.Commit(offsets.Select(o => new TopicPartitionOffset(o.Key, o.Value)));
                return;
            }
            catch (KafkaException e) when (e.Error.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId
                or ErrorCode.StaleMemberEpoch or ErrorCode.FencedMemberEpoch)
            {
                Log.CommitGivenUp(clients.Logger, e.Error.Reason);
                return;
            }
            catch (KafkaException e) when (!e.Error.IsFatal && attempt < CommitAttempts)
            {
                Log.CommitRetried(clients.Logger, attempt, e.Error.Reason);
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(MaxCommitBackoff.TotalMilliseconds, 50 << Math.Min(attempt, 6))));
            }
        }
    }
}
