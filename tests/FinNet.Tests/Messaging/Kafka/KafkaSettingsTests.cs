using Confluent.Kafka;
using FinNet.Messaging.Kafka;

namespace FinNet.Tests.Messaging.Kafka;

public sealed class KafkaSettingsTests
{
    private static KafkaSettings Settings(GroupProtocol? protocol, Dictionary<string, string>? passed = null) =>
        new("127.0.0.1:9092", passed ?? [], new KafkaTopics(), GroupProtocol: protocol);

    [Fact]
    public void A_classic_group_asks_for_finnets_session_and_heartbeat()
    {
        var config = Settings(GroupProtocol.Classic).Consumer("finnet-recorder");

        Assert.Equal((GroupProtocol.Classic, 6000, 2000), (config.GroupProtocol, config.SessionTimeoutMs, config.HeartbeatIntervalMs));
    }

    [Fact]
    public void A_consumer_protocol_group_leaves_session_and_heartbeat_to_the_broker()
    {
        // librdkafka refuses a consumer-protocol client that sets either (they are the broker's, KIP-848).
        var config = Settings(GroupProtocol.Consumer).Consumer("finnet-valuation");

        Assert.Equal((GroupProtocol.Consumer, (int?)null, (int?)null), (config.GroupProtocol, config.SessionTimeoutMs, config.HeartbeatIntervalMs));
        Assert.DoesNotContain(config, setting => setting.Key is "session.timeout.ms" or "heartbeat.interval.ms");
    }

    [Fact]
    public void Auto_before_the_brokers_were_asked_is_a_classic_group()
    {
        // null is --group-protocol auto, which KafkaBus.ConnectAsync resolves before any group is joined.
        var config = Settings(null).Consumer("finnet-recorder");

        Assert.Equal(((GroupProtocol?)null, 6000, 2000), (config.GroupProtocol, config.SessionTimeoutMs, config.HeartbeatIntervalMs));
    }

    [Fact]
    public void Settings_passed_through_still_win()
    {
        var config = Settings(GroupProtocol.Classic, new() { ["session.timeout.ms"] = "10000" }).Consumer("finnet-recorder");

        Assert.Equal(10000, config.SessionTimeoutMs);
    }
}
