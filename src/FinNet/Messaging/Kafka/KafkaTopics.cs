namespace FinNet.Messaging.Kafka;

/// <summary>The topics FinNet talks through (names configurable), each with a dead-letter topic <c>&lt;topic&gt;.dlq</c>.</summary>
public sealed record KafkaTopics(string Prices = KafkaTopics.DefaultPrices, string Navs = KafkaTopics.DefaultNavs)
{
    /// <summary>Prices: key = ticker, value = <c>{"TICK", "PRICE", "DATE", "EXCHANGE"}</c>; and end-of-day markers: key = exchange id (see <see cref="KafkaWire"/>).</summary>
    public const string DefaultPrices = "StockExchange";

    /// <summary>NAVs: key = <c>Inv1_P11</c>, value = <c>{"investor_id", "portfolio_id", "date", "value", "change", "change_pct", ...}</c>.</summary>
    public const string DefaultNavs = "portfolios";

    public static string DeadLetters(string topic) => topic + ".dlq";

    public IEnumerable<string> All => [Prices, DeadLetters(Prices), Navs, DeadLetters(Navs)];
}
