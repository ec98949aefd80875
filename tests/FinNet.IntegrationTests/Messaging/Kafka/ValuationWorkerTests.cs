using System.Text;
using System.Text.Json.Nodes;
using FinNet.Messaging.Kafka;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;
using FinNet.Tests.Storage;

namespace FinNet.Tests.IntegrationTests.Messaging.Kafka;

/// <summary>
/// Valuation workers (<c>finnet investor</c> without an id) as separate processes on the mock cluster over TCP
/// (3 brokers, 8 partitions a topic): they share a generated network's portfolios, take over from each other when
/// one is killed, stops or joins, and the result is exactly the embedded run's database.
/// </summary>
public sealed class ValuationWorkerTests : IDisposable
{
    private const int Partitions = 8;
    private readonly TempDirectory _directory = new();
    private readonly MockKafkaCluster _cluster = MockKafkaCluster.StartWithTopics(brokers: 3, Partitions);

    private string Kafka => _cluster.BootstrapServers;

    private static long Count(string db, string table) => SqliteQuery.CountWhileRunning(db, table);

    private static List<string> WithoutProvenance(List<string> dump) => dump.Where(row => !row.StartsWith("FinNetProvenance:", StringComparison.Ordinal)).ToList();

    [Theory]
    [InlineData("classic")]
    [InlineData("consumer")] // KIP-848: partitions move one by one (no group-wide rejoin), a gain without a revocation
    public async Task Workers_killed_stopped_and_added_mid_run_with_a_recorder_killed_give_exactly_the_embedded_run(string groupProtocol)
    {
        // 200 portfolios of 20 investors, 10 of 100 stocks each, on two exchanges; the year 2000.
        var network = _directory.File("network.json");
        Assert.Equal(0, (await CliRunner.InvokeAsync("network", "generate", "--stocks", "100", "--investors", "20", "--portfolios", "200", "--holdings", "10", "--seed", "7", "--out", network)).ExitCode);
        var embedded = _directory.File("embedded.db");
        Assert.Equal(0, (await CliRunner.InvokeAsync("run", "--network", network, "--from", "2000-01-01", "--to", "2000-12-31", "--store", "sqlite:" + embedded, "--format", "text", "--reports", _directory.File("er"))).ExitCode);
        var (navTotal, priceTotal) = (Count(embedded, "PortfolioNavs"), Count(embedded, "StockPrices"));

        var db = _directory.File("workers.db");
        string[] Service(params string[] args) => [.. args, "--network", network, "--kafka", Kafka, "--log-level", "information"];
        string[] Member(params string[] args) => [.. Service(args), "--group-protocol", groupProtocol];
        FinNetProcess Worker() => FinNetProcess.Start(Member("investor"));
        var workers = new List<FinNetProcess> { Worker(), Worker(), Worker() };
        var recorders = new List<FinNetProcess> { FinNetProcess.Start(Member("recorder", "--store", "sqlite:" + db)), FinNetProcess.Start(Member("recorder", "--store", "sqlite:" + db)) };
        try
        {
            // The group has split the state partitions between the three (each one's latest assignment is a share,
            // together all of them) before a price is published: on a loaded machine a worker can still be joining
            // when a fifth of the year is recorded, and the one killed must own something for a takeover to happen.
            bool Shared()
            {
                var shares = workers.Select(w => WorkerLog.Ownership(w.Error).LastOrDefault() ?? []).ToList();
                return shares.All(share => share.Count > 0) && shares.Sum(share => share.Count) == Partitions && shares.SelectMany(share => share).Distinct().Count() == Partitions;
            }
            await workers[0].WaitUntilAsync(Shared, "the three workers share the state partitions", () => string.Join("\n---\n", workers.Select(w => w.Error)));
            // Paced at 60 ms a trading day, the year takes ~15 s: time for a takeover in the middle of it.
            using var se1 = FinNetProcess.Start(Service("exchange", "SE1", "--from", "2000-01-01", "--to", "2000-12-31", "--day-interval", "60ms"));
            using var se2 = FinNetProcess.Start(Service("exchange", "SE2", "--from", "2000-01-01", "--to", "2000-12-31", "--day-interval", "60ms"));

            await recorders[0].WaitUntilAsync(() => Count(db, "PortfolioNavs") >= navTotal / 5, "a fifth of the NAVs were recorded");
            var killedOwned = WorkerLog.Ownership(workers[0].Error).LastOrDefault() ?? [];
            workers[0].Kill();
            var killedAt = DateTimeOffset.UtcNow;
            await workers[0].WaitForExitAsync();
            workers.Add(Worker());

            await recorders[0].WaitUntilAsync(() => Count(db, "PortfolioNavs") >= navTotal / 2, "half of the NAVs were recorded");
            workers[1].Terminate();
            await FinNetProcess.AssertExitedCleanlyAsync(workers[1]);
            recorders[0].Kill();
            await recorders[0].WaitForExitAsync();
            recorders.Add(FinNetProcess.Start(Member("recorder", "--store", "sqlite:" + db)));

            Assert.Equal((0, 0), (await se1.WaitForExitAsync(), await se2.WaitForExitAsync()));
            await recorders[^1].WaitUntilAsync(() => Count(db, "PortfolioNavs") == navTotal && Count(db, "StockPrices") == priceTotal, "it recorded everything");
            FinNetProcess[] remaining = [workers[2], workers[3], recorders[1], recorders[2]];
            foreach (var process in remaining)
                process.Terminate();
            await FinNetProcess.AssertExitedCleanlyAsync(remaining);

            Assert.Equal(CliRunner.DumpTables(embedded), CliRunner.DumpTables(db));

            // The NAV topic, deduplicated by (portfolio, date), is the uninterrupted stream; every duplicate is identical.
            var messages = KafkaTopicReader.ReadAll(Kafka, "portfolios");
            var navs = messages.GroupBy(m => (m.Key, Date: JsonNode.Parse(m.Value)!["date"]!.GetValue<string>())).ToList();
            Assert.Equal(navTotal, navs.Count);
            Assert.All(navs, g => Assert.Single(g.Select(m => Encoding.UTF8.GetString(m.Value)).Distinct()));

            // Portfolios really moved: the killed worker's partitions were taken over by the others, the worker
            // started later got a share and valued NAVs, and each of the three that ran to the end (or stopped)
            // published some.
            Assert.NotEmpty(killedOwned);
            var laterOwners = new[] { workers[2], workers[3] }.SelectMany(w => WorkerLog.Ownership(w.Error)).SelectMany(o => o).ToHashSet();
            Assert.Superset(killedOwned, laterOwners);
            var published = new[] { workers[1], workers[2], workers[3] }.Select(w => WorkerLog.NavsPublished(w.Error) ?? 0).ToList();
            Assert.All(published, count => Assert.True(count > 0, $"NAVs published by the workers: {string.Join(", ", published)}"));

            // Takeover: from the SIGKILL to the first NAV of one of the killed worker's portfolios from another worker.
            var partitioner = new KeyPartitioner(Partitions);
            var firstAfter = messages.Where(m => killedOwned.Contains(partitioner.PartitionOf(m.Key)) && m.Timestamp.UtcDateTime > killedAt.UtcDateTime)
                .Select(m => m.Timestamp.UtcDateTime).DefaultIfEmpty().Min();
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{groupProtocol} protocol: {navTotal} NAVs, {messages.Count - navs.Count} duplicates on the NAV topic (mock cluster: no read_committed); published by the workers: {string.Join(", ", published)}; " +
                $"takeover of state partitions [{string.Join(",", killedOwned.Order())}]: {(firstAfter == default ? "no NAV after the kill" : $"{(firstAfter - killedAt.UtcDateTime).TotalSeconds:0.0} s")} to the first NAV from another worker");
        }
        finally
        {
            foreach (var process in workers.Concat(recorders))
                process.Dispose();
        }
    }

    [Fact]
    public async Task On_a_cluster_without_state_a_worker_scans_once_and_carries_on_after_the_published_navs()
    {
        var db = _directory.File("before.db");
        // January and February valued by today's per-investor path, in one process: NAVs on the topic, no state.
        Assert.Equal(0, (await CliRunner.InvokeAsync("run", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-02-29", "--store", "sqlite:" + db, "--format", "text", "--reports", _directory.File("r"))).ExitCode);
        Assert.Empty(KafkaTopicReader.ReadAll(Kafka, "portfolios.state"));

        string[] Service(params string[] args) => [.. args, "--kafka", Kafka, "--log-level", "information"];
        using var worker = FinNetProcess.Start(Service("investor"));
        using var recorder = FinNetProcess.Start(Service("recorder", "--store", "sqlite:" + db));
        using (var se1 = FinNetProcess.Start(Service("exchange", "SE1", "--from", "2024-01-01", "--to", "2024-04-30")))
        using (var se2 = FinNetProcess.Start(Service("exchange", "SE2", "--from", "2024-01-01", "--to", "2024-04-30")))
            Assert.Equal((0, 0), (await se1.WaitForExitAsync(), await se2.WaitForExitAsync()));
        // 2024-01..04: 85 trading days x (24 prices, 6 NAVs).
        await recorder.WaitUntilAsync(() => Count(db, "PortfolioNavs") == 6 * 85 && Count(db, "StockPrices") == 24 * 85, "it recorded everything");
        worker.Terminate();
        recorder.Terminate();
        Assert.Equal((0, 0), (await worker.WaitForExitAsync(), await recorder.WaitForExitAsync()));

        var embedded = _directory.File("embedded.db");
        Assert.Equal(0, (await CliRunner.InvokeAsync("run", "--from", "2024-01-01", "--to", "2024-04-30", "--store", "sqlite:" + embedded, "--format", "text", "--reports", _directory.File("er"))).ExitCode);
        Assert.Equal(WithoutProvenance(CliRunner.Dump(embedded)), WithoutProvenance(CliRunner.Dump(db)));
        // It found no snapshot, scanned, valued from the price topic's beginning and published only March and
        // April: no NAV twice. Its last transaction left a snapshot on every state partition holding portfolios.
        Assert.Contains("restored 6 portfolios: 0 state partitions from their snapshots", worker.Error, StringComparison.Ordinal);
        Assert.Matches("Valuation worker stopping: 252 NAVs", worker.Error); // (22 + 20) trading days x 6
        var navs = KafkaTopicReader.ReadAll(Kafka, "portfolios");
        Assert.Equal(6 * 85, navs.Count);
        var snapshots = KafkaTopicReader.ReadAll(Kafka, "portfolios.state").Select(m => KafkaWire.ReadSnapshot(m.Value).Snapshot!).ToList();
        var last = snapshots.GroupBy(s => s.Partition).Select(g => g.Last()).ToList();
        Assert.Equal(6, last.Sum(s => s.Portfolios.Count));
        Assert.All(last, s => Assert.Equal(new DateOnly(2024, 4, 30), s.Prices.Released));
        Assert.All(last.SelectMany(s => s.Portfolios.Values), p => Assert.Equal(new DateOnly(2024, 4, 30), p.Last.AsOf));
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _directory.Dispose();
    }
}
