using Confluent.Kafka;
using FinNet.Messaging.Kafka;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.IntegrationTests.Messaging.Kafka;

/// <summary>
/// <c>--group-protocol auto</c> (the default) asks the brokers whether they offer KIP-848's consumer group protocol;
/// a mock with its ConsumerGroupHeartbeat request (API key 68) disabled stands for a Kafka older than 4.0.
/// </summary>
public sealed class GroupProtocolTests : IDisposable
{
    private const short ConsumerGroupHeartbeat = 68;
    private readonly TempDirectory _directory = new();

    private static MockKafkaCluster OlderKafka()
    {
        var cluster = MockKafkaCluster.StartWithTopics(brokers: 3, partitions: 4);
        cluster.DisableApi(ConsumerGroupHeartbeat);
        return cluster;
    }

    private static KafkaSettings Settings(MockKafkaCluster cluster, GroupProtocol? protocol) =>
        new(cluster.BootstrapServers, new Dictionary<string, string>(), new KafkaTopics(), GroupProtocol: protocol);

    [Fact]
    public async Task Auto_takes_the_consumer_protocol_where_the_brokers_offer_it_and_classic_where_they_do_not()
    {
        using var current = MockKafkaCluster.StartWithTopics(brokers: 3, partitions: 4);
        using var older = OlderKafka();

        Assert.Equal(GroupProtocol.Consumer, await ConnectedProtocolAsync(current, null));
        Assert.Equal(GroupProtocol.Classic, await ConnectedProtocolAsync(older, null));
        // Asked for by name, either stays (classic without asking the brokers).
        Assert.Equal(GroupProtocol.Classic, await ConnectedProtocolAsync(current, GroupProtocol.Classic));
        Assert.Equal(GroupProtocol.Consumer, await ConnectedProtocolAsync(current, GroupProtocol.Consumer));
    }

    private static async Task<GroupProtocol?> ConnectedProtocolAsync(MockKafkaCluster cluster, GroupProtocol? protocol) =>
        (await Settings(cluster, protocol).ConnectAsync(new KafkaTopics().Shared.ToList(), _ => { }, TestContext.Current.CancellationToken)).Settings.GroupProtocol;

    [Fact]
    public async Task The_consumer_protocol_asked_of_brokers_without_it_is_one_line_not_a_silent_wait()
    {
        // librdkafka's consumer on such brokers retries forever and says so only in a debug line.
        using var older = OlderKafka();

        var result = await CliRunner.InvokeAsync("recorder", "--kafka", older.BootstrapServers, "--group-protocol", "consumer", "--store", "sqlite:" + _directory.File("r.db"));

        Assert.Equal(
            (2, $"finnet: error: --group-protocol consumer: the brokers at {older.BootstrapServers} do not offer the consumer group protocol (KIP-848: Kafka 4.0 or later); use --group-protocol classic or auto\n"),
            (result.ExitCode, result.Error));
    }

    [Fact]
    public async Task On_brokers_without_the_consumer_protocol_auto_runs_classic_groups_and_records_the_embedded_run()
    {
        using var older = OlderKafka();
        var embedded = _directory.File("embedded.db");
        var kafka = _directory.File("kafka.db");

        var expected = await CliRunner.InvokeAsync("run", "--from", "2024-01-01", "--to", "2024-01-31", "--store", "sqlite:" + embedded, "--format", "text", "--reports", _directory.File("embedded-reports"));
        using var run = FinNetProcess.Start("run", "--kafka", older.BootstrapServers, "--from", "2024-01-01", "--to", "2024-01-31", "--store", "sqlite:" + kafka, "--format", "text", "--reports", _directory.File("kafka-reports"), "--log-level", "information");

        Assert.Equal((0, 0), (expected.ExitCode, await run.WaitForExitAsync()));
        Assert.Contains("--group-protocol auto: the brokers do not offer the consumer group protocol (KIP-848), so groups use the classic protocol", run.Error, StringComparison.Ordinal);
        Assert.Equal(
            CliRunner.Dump(embedded).Where(row => !row.StartsWith("FinNetProvenance:", StringComparison.Ordinal)),
            CliRunner.Dump(kafka).Where(row => !row.StartsWith("FinNetProvenance:", StringComparison.Ordinal)));
    }

    public void Dispose() => _directory.Dispose();
}
