using System.Text;
using Confluent.Kafka;
using FinNet.Exchanges;
using FinNet.Messaging.Kafka;
using FinNet.Network;

namespace FinNet.Tests.Messaging.Kafka;

/// <summary>The wire as untrusted input: misplaced, mis-keyed and invalid messages are reasons, never prices or NAVs.</summary>
public class IncomingMessagesTests
{
    private const int Partitions = 6;
    private static readonly KeyPartitioner Partitioner = new(Partitions);
    private static readonly IncomingMessages Incoming = new(NetworkFile.LoadDefault(), Partitioner, Partitioner);

    private static ConsumeResult<string, byte[]> At(int partition, string? key, string json) => new()
    {
        Topic = "t",
        Partition = partition,
        Offset = 7,
        Message = new Message<string, byte[]> { Key = key!, Value = Encoding.UTF8.GetBytes(json) },
    };

    private const string Ibm = """{"TICK":"IBM","PRICE":928.05,"DATE":"2024-01-09","EXCHANGE":"SE1"}""";

    [Fact]
    public void A_price_on_its_keys_partition_is_a_price_and_a_copy_anywhere_else_is_misplaced()
    {
        var home = Partitioner.PartitionOf("IBM");
        var away = (home + 1) % Partitions;

        Assert.Equal(new PriceTopicMessage.Price(new PriceQuote("IBM", new DateOnly(2024, 1, 9), 928.05m, "SE1")), Incoming.ReadPrice(At(home, "IBM", Ibm)));
        Assert.Equal(new PriceTopicMessage.Malformed($"misplaced: prices of IBM belong on partition {home}, not {away}"), Incoming.ReadPrice(At(away, "IBM", Ibm)));
        Assert.Equal(new PriceTopicMessage.Malformed("key 'AAPL' is not the price's TICK IBM"), Incoming.ReadPrice(At(home, "AAPL", Ibm)));
    }

    [Fact]
    public void A_price_the_network_does_not_list_is_refused_with_the_rule()
    {
        var json = """{"TICK":"NOPE","PRICE":1.00,"DATE":"2024-01-09","EXCHANGE":"SE1"}""";

        Assert.Equal(new PriceTopicMessage.Malformed("unknown ticker 'NOPE'"), Incoming.ReadPrice(At(Partitioner.PartitionOf("NOPE"), "NOPE", json)));
    }

    [Fact]
    public void A_marker_from_an_unknown_exchange_is_refused()
    {
        var json = """{"MARKER":"END_OF_DAY","EXCHANGE":"SE9","DATE":"2024-01-09","PARTITION":2,"PRICES":3,"CLOSED":false}""";

        Assert.Equal(new PriceTopicMessage.Malformed("marker from unknown exchange 'SE9'"), Incoming.ReadPrice(At(2, "SE9", json)));
    }

    [Fact]
    public void A_nav_keyed_as_another_portfolio_or_invalid_is_a_reason()
    {
        var json = """{"investor_id":"Inv1","portfolio_id":"P11","date":"2024-01-09","value":-100}""";
        var valid = """{"investor_id":"Inv1","portfolio_id":"P11","date":"2024-01-09","value":1000000}""";

        var home = Partitioner.PartitionOf("Inv1_P11");

        Assert.Equal((null, "value -100 is not positive"), Incoming.ReadNav(At(home, "Inv1_P11", json)));
        Assert.Equal((null, "key 'Inv1_P12' is not the NAV's portfolio Inv1_P11"), Incoming.ReadNav(At(home, "Inv1_P12", valid)));
        Assert.Equal((null, $"misplaced: NAVs of Inv1_P11 belong on partition {home}, not {(home + 1) % Partitions}"), Incoming.ReadNav(At((home + 1) % Partitions, "Inv1_P11", valid)));
        Assert.Equal(81.967213m, Incoming.ReadNav(At(home, "Inv1_P11", valid)).Nav!.NavPerShare);
    }

    /// <summary>Known answers of Kafka's own murmur2 (the Java client's <c>UtilsTest.testMurmur2</c>), as signed 32-bit values.</summary>
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_gives_kafkas_known_answers(string key, int expected) =>
        Assert.Equal(expected, unchecked((int)KeyPartitioner.Murmur2(Encoding.UTF8.GetBytes(key))));
}
