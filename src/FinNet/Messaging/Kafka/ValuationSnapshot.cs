using Confluent.Kafka;
using FinNet.Investors;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// What a valuation worker needs to carry on where another left off, for the portfolios of one partition of the
/// state topic (<see cref="KafkaTopics.State"/>): each portfolio's last NAV and whole value, and where the price topic
/// resumes. Written in the transaction of the NAVs it covers, after they were delivered, so a snapshot someone can
/// read never runs ahead of the NAVs it accounts for (not even on the mock cluster, which shows uncommitted records).
/// </summary>
/// <param name="Portfolios">By key; a portfolio of the partition that is absent has no NAV yet.</param>
public sealed record ValuationSnapshot(int Partition, PriceResume Prices, IReadOnlyDictionary<string, PortfolioPosition> Portfolios)
{
    /// <summary>
    /// The last snapshot on each of <paramref name="partitions"/> of the state topic (null where there is none), and
    /// each partition's end. Reads back from the ends in growing windows, all partitions in one read (a partition
    /// holds a snapshot per transaction, and transaction markers), so a takeover reads a few records per partition,
    /// not the partitions' history.
    /// </summary>
    internal static Dictionary<int, (ValuationSnapshot? Snapshot, long End)> ReadLast(KafkaClients clients, IConsumer<string, byte[]> consumer, IEnumerable<int> partitions)
    {
        var found = partitions.ToDictionary(p => p, _ => (ValuationSnapshot?)null);
        var marks = ConsumeLoop.ReadBackFromEnd(consumer, found.Keys.Select(p => new TopicPartition(clients.Topics.State, p)), firstWindow: 8, growth: 8, result =>
        {
            var partition = result.Partition.Value;
            var (snapshot, problem) = KafkaWire.ReadSnapshot(result.Message.Value);
            if (snapshot is not null && snapshot.Partition == partition)
                found[partition] = snapshot; // in offset order: the last one read is the latest
            else
                Log.MessageIgnored(clients.Logger, ValuationWorker.Role, clients.Topics.State, partition, result.Offset.Value, problem ?? $"a snapshot of partition {snapshot!.Partition}");
        }, tp => found[tp.Partition.Value] is not null);
        return marks.ToDictionary(m => m.Key.Partition.Value, m => (found[m.Key.Partition.Value], m.Value.High.Value));
    }
}

/// <summary>A portfolio's restart state: its last NAV, and its whole value that day (null if it was not known).</summary>
public sealed record PortfolioPosition(NavPoint Last, decimal? Value);
