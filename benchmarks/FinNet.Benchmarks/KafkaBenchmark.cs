using System.Diagnostics;
using FinNet.Messaging.Kafka;
using FinNet.Tests.Storage;

namespace FinNet.Benchmarks;

/// <summary>
/// The full default history (2000-01-01..2026-11-24) through Kafka on the mock cluster into SQLite, every service a
/// process of its own (two exchanges, three investors, a recorder), process starts included. Prints when each
/// stage was done and its messages per second.
/// </summary>
internal static class KafkaBenchmark
{
    private const int Prices = 164_688;
    private const int Navs = 41_172;

    public static async Task<int> RunAsync()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 3);
        foreach (var topic in new KafkaTopics().All)
            cluster.CreateTopic(topic, partitions: 16, replication: 3);
        var work = Directory.CreateTempSubdirectory("finnet-bench-kafka-");
        var db = Path.Combine(work.FullName, "kafka.db");
        var clock = Stopwatch.StartNew();
        var services = new List<Process>
        {
            EmbeddedRunBenchmark.StartCli("recorder", "--kafka", cluster.BootstrapServers, "--store", "sqlite:" + db),
            EmbeddedRunBenchmark.StartCli("investor", "Inv1", "--kafka", cluster.BootstrapServers),
            EmbeddedRunBenchmark.StartCli("investor", "Inv2", "--kafka", cluster.BootstrapServers),
            EmbeddedRunBenchmark.StartCli("investor", "Inv3", "--kafka", cluster.BootstrapServers),
        };
        using var se1 = EmbeddedRunBenchmark.StartCli("exchange", "SE1", "--kafka", cluster.BootstrapServers, "--to", "2026-11-24");
        using var se2 = EmbeddedRunBenchmark.StartCli("exchange", "SE2", "--kafka", cluster.BootstrapServers, "--to", "2026-11-24");
        await Task.WhenAll(se1.WaitForExitAsync(), se2.WaitForExitAsync());
        var published = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"exchanges: {Prices:N0} prices published in {published:0.00} s ({Prices / published:N0} prices/s)");
        double? pricesDone = null;
        while (true)
        {
            var (prices, navs) = (SqliteQuery.CountWhileRunning(db, "StockPrices"), SqliteQuery.CountWhileRunning(db, "PortfolioNavs"));
            if (pricesDone is null && prices == Prices)
            {
                pricesDone = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"recorder: every price recorded at {pricesDone:0.00} s ({Prices / pricesDone:N0} prices/s end to end)");
            }
            if (prices == Prices && navs == Navs)
                break;
            await Task.Delay(50); // a benchmark's progress poll
        }
        var total = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"investors + recorder: every NAV recorded at {total:0.00} s ({Navs / total:N0} NAVs/s); whole pipeline {total:0.00} s, {(Prices + Navs) / total:N0} messages/s");
        foreach (var service in services)
        {
            service.Kill();
            service.Dispose();
        }
        work.Delete(recursive: true);
        return 0;
    }
}
