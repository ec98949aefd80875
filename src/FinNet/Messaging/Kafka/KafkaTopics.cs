namespace FinNet.Messaging.Kafka;

/// <summary>The topics FinNet talks through (names configurable), each with a dead-letter topic <c>&lt;topic&gt;.dlq</c>.</summary>
public sealed record KafkaTopics(string Prices = KafkaTopics.DefaultPrices, string Navs = KafkaTopics.DefaultNavs)
{
    /// <summary>Prices: key = ticker, value = <c>{"TICK", "PRICE", "DATE", "EXCHANGE"}</c>; and end-of-day markers: key = exchange id (see <see cref="KafkaWire"/>).</summary>
    public const string DefaultPrices = "StockExchange";

    /// <summary>NAVs: key = <c>Inv1_P11</c>, value = <c>{"investor_id", "portfolio_id", "date", "value", "change", "change_pct", ...}</c>.</summary>
    public const string DefaultNavs = "portfolios";

    public static string DeadLetters(string topic) => topic + ".dlq";

    /// <summary>
    /// The valuation workers' state, <c>&lt;nav-topic&gt;.state</c>: per partition, snapshots of the portfolios
    /// mapped to it (each portfolio's partition is its NAV key's) and where the price topic resumes for them, written
    /// in the transaction of the NAVs they cover (<see cref="ValuationSnapshot"/>). Compacted on a real cluster.
    /// </summary>
    public string State => Navs + ".state";

    /// <summary>The topics every service needs; the state topic only valuation workers need.</summary>
    public IEnumerable<string> Shared => [Prices, DeadLetters(Prices), Navs, DeadLetters(Navs)];

    /// <summary>Every topic FinNet uses (what <c>finnet dev-kafka</c> creates).</summary>
    public IEnumerable<string> All => [.. Shared, State];
}
