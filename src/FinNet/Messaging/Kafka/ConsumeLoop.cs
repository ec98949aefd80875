using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The one consume-loop shape every FinNet consumer runs (Confluent's <c>examples/Web/RequestTimeConsumer.cs</c>):
/// consume with a short poll until the token fires or the handler says it is done; a consume error the client
/// recovers from is logged and skipped ("consumer errors should generally be ignored (or logged) unless fatal"),
/// a fatal one ends the loop with its exception; the consumer is closed on the way out (leaving its group at once
/// rather than after the session timeout).
/// </summary>
internal static class ConsumeLoop
{
    /// <summary>
    /// How long one consume waits for a message. Short, because a handler also acts on quiet: an investor publishes
    /// what it has valued when it is caught up, and a one-process run notices it has drained.
    /// </summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <param name="step">Called with each message, partition end, or null when nothing came within <see cref="Poll"/>; returns false when done.</param>
    /// <param name="stopping">Called on the way out, before the consumer is closed (while it still has its assignment).</param>
    public static async Task RunAsync(
        IConsumer<string, byte[]> consumer, ILogger logger, Func<ConsumeResult<string, byte[]>?, ValueTask<bool>> step, CancellationToken cancellationToken,
        Action<IConsumer<string, byte[]>>? stopping = null)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await step(Next(consumer, logger)))
                    return;
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            stopping?.Invoke(consumer);
            consumer.Close();
        }
    }

    /// <summary>The next message, or null if none came within the poll or a recoverable consume error was logged.</summary>
    public static ConsumeResult<string, byte[]>? Next(IConsumer<string, byte[]> consumer, ILogger logger)
    {
        try
        {
            return consumer.Consume(Poll);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            Log.ConsumeErrorSkipped(logger, e.Error.Code.ToString(), e.Error.Reason);
            return null;
        }
    }

    /// <summary>
    /// A bounded read: assigns <paramref name="consumer"/> to each partition from its start offset and hands every
    /// message to <paramref name="handle"/> until each partition reaches its end offset (the high watermark taken
    /// before). For restart state read back from a topic; a read that stalls for <see cref="KafkaClients.Timeout"/> throws.
    /// </summary>
    public static void ReadToEnd(IConsumer<string, byte[]> consumer, IReadOnlyDictionary<TopicPartition, (long From, long End)> ranges, Action<ConsumeResult<string, byte[]>> handle)
    {
        var open = ranges.Where(r => r.Value.From < r.Value.End).Select(r => r.Key).ToHashSet();
        consumer.Assign(open.Select(tp => new TopicPartitionOffset(tp, ranges[tp].From)));
        while (open.Count > 0)
        {
            var result = consumer.Consume(KafkaClients.Timeout)
                ?? throw new TimeoutException($"reading {string.Join(", ", open.Select(tp => tp.Topic).Distinct())} back timed out");
            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ranges[result.TopicPartition].End)
                open.Remove(result.TopicPartition);
            if (!result.IsPartitionEOF)
                handle(result);
        }
    }

    /// <summary>
    /// Reads <paramref name="partitions"/> back from their ends in growing windows (the last
    /// <paramref name="firstWindow"/> messages, then <paramref name="growth"/> times as many, ...), every partition in
    /// one bounded read per window, until <paramref name="found"/> holds for a partition or its window reached the
    /// partition's beginning. For the latest of something (a marker, a snapshot): a read costs a few messages, not
    /// the partition's history. Each window hands its messages to <paramref name="handle"/> in offset order per
    /// partition, so the last one handed is the latest (a wider window hands some again). Returns each partition's
    /// watermarks, taken before reading.
    /// </summary>
    public static Dictionary<TopicPartition, WatermarkOffsets> ReadBackFromEnd(
        IConsumer<string, byte[]> consumer, IEnumerable<TopicPartition> partitions, long firstWindow, int growth,
        Action<ConsumeResult<string, byte[]>> handle, Func<TopicPartition, bool> found)
    {
        var marks = partitions.ToDictionary(tp => tp, tp => KafkaClients.Watermarks(consumer, tp));
        var searching = marks.Keys.ToHashSet();
        for (var window = firstWindow; searching.Count > 0; window *= growth)
        {
            var ranges = searching.ToDictionary(tp => tp, tp => (From: Math.Max(marks[tp].Low.Value, marks[tp].High.Value - window), End: marks[tp].High.Value));
            ReadToEnd(consumer, ranges, handle);
            searching.RemoveWhere(tp => found(tp) || ranges[tp].From <= marks[tp].Low.Value);
        }
        return marks;
    }
}
