namespace FinNet.Messaging.Kafka;

/// <summary>The topics FinNet talks through (names configurable), each with a dead-letter topic <c>&lt;topic&gt;.dlq</c>.</summary>
public sealed record KafkaTopics(string Prices = KafkaTopics.DefaultPrices, string Navs = KafkaTopics.DefaultNavs)
{
    public const string DefaultPrices = "StockExchange";
    public const string DefaultNavs = "portfolios";

    public static string DeadLetters(string topic) => topic + ".dlq";

    public IEnumerable<string> All => [Prices, DeadLetters(Prices), Navs, DeadLetters(Navs)];
}
