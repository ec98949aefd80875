using Confluent.Kafka;
using FinNet.Investors;
using FinNet.Network;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// Reads what arrives on FinNet's topics as untrusted input: a message that is malformed, invalid for the network
/// (<see cref="MessageRules"/>), keyed other than by what it carries, or on another partition than its key's (prices
/// and NAVs alike: murmur2, as FinNet's producers and the Java client place them), is returned as a reason to reject
/// it, never as a price, marker or NAV. Only on its key's partition is "the first by offset" well defined.
/// </summary>
/// <param name="navPartitioner">The NAV topic's partitions (it may have another count than the price topic).</param>
internal sealed class IncomingMessages(InvestmentNetwork network, KeyPartitioner partitioner, KeyPartitioner navPartitioner)
{
    private readonly MessageRules _rules = new(network);

    public PriceTopicMessage ReadPrice(ConsumeResult<string, byte[]> result)
    {
        var partition = result.Partition.Value;
        var message = KafkaWire.ReadPriceTopic(result.Message.Value, partition);
        string? problem = message switch
        {
            PriceTopicMessage.Price { Quote: var quote } => result.Message.Key is { } key && key != quote.Ticker
                ? $"key '{key}' is not the price's TICK {quote.Ticker}"
                : Misplaced(partitioner, "prices", quote.Ticker, partition) ?? _rules.PriceProblem(quote),
            PriceTopicMessage.Marker { EndOfDay: var marker } => _rules.MarkerProblem(marker.ExchangeId, marker.Date),
            _ => null,
        };
        return problem is null ? message : new PriceTopicMessage.Malformed(problem);
    }

    /// <summary>A NAV message as a stored row, or the reason it cannot be one.</summary>
    public (NavUpdate? Nav, string? Problem) ReadNav(ConsumeResult<string, byte[]> result)
    {
        var (nav, problem) = KafkaWire.ReadNav(result.Message.Value, network.SharesOutstanding);
        if (nav is null)
            return (null, problem);
        if (result.Message.Key is { } key && key != nav.PortfolioKey)
            return (null, $"key '{key}' is not the NAV's portfolio {nav.PortfolioKey}");
        return (Misplaced(navPartitioner, "NAVs", nav.PortfolioKey, result.Partition.Value) ?? _rules.NavProblem(nav)) is { } invalid ? (null, invalid) : (nav, null);
    }

    /// <summary>Why a message keyed <paramref name="key"/> does not belong on <paramref name="partition"/>, or null (always null on one partition).</summary>
    private static string? Misplaced(KeyPartitioner partitioner, string what, string key, int partition) =>
        partitioner.Partitions > 1 && partitioner.PartitionOf(key) is var home && home != partition
            ? $"misplaced: {what} of {key} belong on partition {home}, not {partition}"
            : null;
}
