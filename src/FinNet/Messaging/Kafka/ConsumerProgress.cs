using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// What a long-running consumer says about its work, so that an operator sees it without a metrics system: every
/// <see cref="Interval"/> what it handled (<paramref name="unit"/>: the recorder's rows, an investor's NAVs) and
/// their rate, and its lag per topic (the messages its assigned partitions hold beyond its position); the totals
/// once more when it stops.
/// </summary>
internal sealed class ConsumerProgress(string role, string unit, ILogger logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Stopwatch _running = Stopwatch.StartNew();
    private readonly Stopwatch _sinceReport = Stopwatch.StartNew();
    private long _total;
    private long _sinceLast;

    /// <summary>Counts <paramref name="handled"/>, and reports if the interval has passed.</summary>
    public void Add(int handled, IConsumer<string, byte[]> consumer)
    {
        (_total, _sinceLast) = (_total + handled, _sinceLast + handled);
        Tick(consumer);
    }

    /// <summary>Reports if the interval has passed (called on quiet polls too, so an idle consumer still shows its lag).</summary>
    public void Tick(IConsumer<string, byte[]> consumer)
    {
        if (_sinceReport.Elapsed < Interval)
            return;
        var seconds = _sinceReport.Elapsed.TotalSeconds;
        Log.ConsumerProgress(logger, role, _sinceLast, unit, seconds, _sinceLast / seconds, _total, Lag(consumer));
        _sinceLast = 0;
        _sinceReport.Restart();
    }

    /// <summary>The totals, while the consumer still has its assignment (before it is closed).</summary>
    public void Stopping(IConsumer<string, byte[]> consumer)
    {
        var seconds = _running.Elapsed.TotalSeconds;
        Log.ConsumerStopping(logger, role, _total, unit, seconds, seconds > 0 ? _total / seconds : 0, Lag(consumer));
    }

    /// <summary>
    /// Per topic, the messages beyond the consumer's position in its assigned partitions, from the watermarks the
    /// client already holds (no request to the cluster); <c>?</c> for a topic none of whose partitions has been
    /// fetched from yet.
    /// </summary>
    public static string Lag(IConsumer<string, byte[]> consumer)
    {
        var byTopic = new SortedDictionary<string, long?>(StringComparer.Ordinal);
        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            if (high == Offset.Unset || position == Offset.Unset)
            {
                byTopic.TryAdd(partition.Topic, null); // not fetched from yet: unknown, unless another partition is known
                continue;
            }
            byTopic[partition.Topic] = (byTopic.GetValueOrDefault(partition.Topic) ?? 0) + Math.Max(0, high.Value - position.Value);
        }
        return byTopic.Count == 0 ? "none (no partitions)" : string.Join(", ", byTopic.Select(t => $"{t.Key} {(t.Value is { } lag ? lag.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "?")}"));
    }

    /// <summary>Partitions by topic, e.g. <c>StockExchange[0-2], portfolios[1,3]</c>.</summary>
    public static string Describe(IEnumerable<TopicPartition> partitions)
    {
        var byTopic = partitions.GroupBy(p => p.Topic, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        return byTopic.Count == 0 ? "no partitions" : string.Join(", ", byTopic.Select(g => $"{g.Key}[{Ranges(g.Select(p => p.Partition.Value).Order().ToList())}]"));
    }

    private static string Ranges(List<int> numbers)
    {
        var ranges = new List<string>();
        for (var i = 0; i < numbers.Count;)
        {
            var j = i;
            while (j + 1 < numbers.Count && numbers[j + 1] == numbers[j] + 1)
                j++;
            ranges.Add(j == i ? $"{numbers[i]}" : $"{numbers[i]}-{numbers[j]}");
            i = j + 1;
        }
        return string.Join(",", ranges);
    }
}
