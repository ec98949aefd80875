using System.Diagnostics;
using System.Globalization;
using FinNet.Messaging.Kafka;
using Microsoft.Data.Sqlite;

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
            Start("recorder", "--kafka", cluster.BootstrapServers, "--store", "sqlite:" + db),
            Start("investor", "Inv1", "--kafka", cluster.BootstrapServers),
            Start("investor", "Inv2", "--kafka", cluster.BootstrapServers),
            Start("investor", "Inv3", "--kafka", cluster.BootstrapServers),
        };
        using var se1 = Start("exchange", "SE1", "--kafka", cluster.BootstrapServers, "--to", "2026-11-24");
        using var se2 = Start("exchange", "SE2", "--kafka", cluster.BootstrapServers, "--to", "2026-11-24");
        await Task.WhenAll(se1.WaitForExitAsync(), se2.WaitForExitAsync());
        var published = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"exchanges: {Prices:N0} prices published in {published:0.00} s ({Prices / published:N0} prices/s)");
        double? pricesDone = null;
        while (true)
        {
            var (prices, navs) = (Count(db, "StockPrices"), Count(db, "PortfolioNavs"));
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

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FinNet.Cli.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static long Count(string db, string table)
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}
