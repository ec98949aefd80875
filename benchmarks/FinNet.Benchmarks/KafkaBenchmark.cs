using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Messaging.Kafka;
using FinNet.Network;
using FinNet.Tests.Storage;

namespace FinNet.Benchmarks;

/// <summary>
/// FinNet through Kafka on the mock cluster (3 brokers), every service a process of its own, process starts included.
/// <list type="bullet">
/// <item><c>default</c>: the default network's full history (2000-01-01..2026-11-24) into SQLite, valued by the three
/// per-investor services (<c>finnet investor Inv1</c>..) and then by one valuation worker; when each stage was done.</item>
/// <item><c>workers</c>: a generated network of 1,000 portfolios x 30 of 500 stocks, 2020-2023 (what the mock holds on
/// 64 partitions a topic), prices published first, then valued by 1, 2 and 4 workers: wall time and NAVs per worker.</item>
/// <item><c>takeover</c>: the same network after that history, valued by two workers; one is SIGKILLed, the exchanges
/// publish the next day, and the time from the kill to the first NAV of one of its portfolios from the other worker.</item>
/// <item><c>recorder</c>: the default network's full history on the topics, then a recorder into a throwaway MariaDB,
/// beside a bare <c>MySqlBulkCopy</c> of the same rows into the same server in the same run.</item>
/// </list>
/// </summary>
internal static class KafkaBenchmark
{
    private const int DefaultPrices = 164_688;
    private const int DefaultNavs = 41_172;

    /// <summary>The mock keeps 5 MiB a partition: 64 partitions hold 2020-2023 of 1,000 portfolios' NAVs (about 300 MB).</summary>
    private const int GeneratedPartitions = 64;

    private static readonly string[] ExchangeIds = ["SE1", "SE2"];

    public static async Task<int> RunAsync(string what)
    {
        if (what is "default" or "all")
        {
            await DefaultNetworkAsync(["Inv1", "Inv2", "Inv3"]);
            await DefaultNetworkAsync([null]);
        }
        if (what is "workers" or "all")
        {
            foreach (var workers in new[] { 1, 2, 4 })
                await WorkersAsync(workers);
        }
        if (what is "takeover" or "all")
        {
            // FinNet's default, --group-protocol auto: the consumer protocol (KIP-848), which the mock offers. The
            // mock's session for it is 6 s (MockKafkaCluster), and a dead member's partitions move at the survivors'
            // next heartbeat, with no group-wide rejoin.
            await TakeoverAsync(6, "auto");
            // The classic protocol at FinNet's classic session (6 s, a real broker's minimum), and at a short one the
            // mock allows: the mock waits session - 1 s for members to rejoin after one timed out, so its takeover
            // grows with the session.
            await TakeoverAsync(6, "classic");
            await TakeoverAsync(3, "classic");
        }
        if (what is "recorder" or "all")
            await RecorderIntoMariaDbAsync();
        return 0;
    }

    /// <param name="investors">An investor id per per-investor service, or one null for a single valuation worker.</param>
    private static async Task DefaultNetworkAsync(string?[] investors)
    {
        using var cluster = MockKafkaCluster.StartWithTopics(brokers: 3, 16);
        var work = Directory.CreateTempSubdirectory("finnet-bench-kafka-");
        var db = Path.Combine(work.FullName, "kafka.db");
        var clock = Stopwatch.StartNew();
        var services = new List<Process> { EmbeddedRunBenchmark.StartCli("recorder", "--kafka", cluster.BootstrapServers, "--store", "sqlite:" + db) };
        services.AddRange(investors.Select(id => EmbeddedRunBenchmark.StartCli([.. new[] { "investor", id }.OfType<string>(), "--kafka", cluster.BootstrapServers])));
        var shape = investors[0] is null ? "one valuation worker" : $"{investors.Length} per-investor services";
        using var se1 = EmbeddedRunBenchmark.StartCli("exchange", "SE1", "--kafka", cluster.BootstrapServers, "--to", "2026-11-24");
        using var se2 = EmbeddedRunBenchmark.StartCli("exchange", "SE2", "--kafka", cluster.BootstrapServers, "--to", "2026-11-24");
        await Task.WhenAll(se1.WaitForExitAsync(), se2.WaitForExitAsync());
        var published = clock.Elapsed.TotalSeconds;
        while (SqliteQuery.CountWhileRunning(db, "StockPrices") != DefaultPrices || SqliteQuery.CountWhileRunning(db, "PortfolioNavs") != DefaultNavs)
            await Task.Delay(50); // a benchmark's progress poll
        var total = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kafka default, {shape}: prices published at {published:0.00} s; every price and NAV recorded at {total:0.00} s ({(DefaultPrices + DefaultNavs) / total:N0} rows/s)"));
        foreach (var service in services)
        {
            service.Kill();
            service.Dispose();
        }
        work.Delete(recursive: true);
    }

    /// <summary>A cluster holding the generated network's prices of 2020-2023, and the network file.</summary>
    private static async Task<(MockKafkaCluster Cluster, string Network, long Prices, long Navs, DirectoryInfo Work)> PublishedAsync(string to = "2023-12-31")
    {
        var work = Directory.CreateTempSubdirectory("finnet-bench-workers-");
        var network = Path.Combine(work.FullName, "network.json");
        await File.WriteAllBytesAsync(network, NetworkGenerator.Generate(2, 500, 100, 1_000, 30, 42));
        var cluster = MockKafkaCluster.StartWithTopics(brokers: 3, GeneratedPartitions);
        // Both at once, as a deployment publishes: interleaved on every partition.
        var exchanges = ExchangeIds.Select(exchange => EmbeddedRunBenchmark.StartCli("exchange", exchange, "--network", network, "--kafka", cluster.BootstrapServers, "--from", "2020-01-01", "--to", to)).ToList();
        foreach (var process in exchanges)
        {
            await process.WaitForExitAsync();
            process.Dispose();
        }
        var (prices, navs) = ExpectedRows(NetworkFile.Load(network), new DateOnly(2020, 1, 1), DateOnly.Parse(to, CultureInfo.InvariantCulture));
        return (cluster, network, prices, navs, work);
    }

    /// <summary>
    /// What the exchanges publish and the workers value from <paramref name="from"/> to <paramref name="to"/>: a price
    /// per stock and day its exchange trades, a NAV per portfolio and day on which every exchange of its holdings trades.
    /// </summary>
    private static (long Prices, long Navs) ExpectedRows(InvestmentNetwork network, DateOnly from, DateOnly to)
    {
        var (prices, navs) = (0L, 0L);
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            prices += network.Exchanges.Where(e => e.Calendar.IsTradingDay(day)).Sum(e => e.Stocks.Count);
            navs += network.Portfolios.Count(p => p.Holdings.All(h => network.GetExchange(network.FindStock(h.Ticker)!.ExchangeId).Calendar.IsTradingDay(day)));
        }
        return (prices, navs);
    }

    private static async Task WorkersAsync(int count)
    {
        var (cluster, network, _, expected, work) = await PublishedAsync();
        using (cluster)
        {
            var clock = Stopwatch.StartNew();
            var startedAt = DateTime.Now;
            var workers = Enumerable.Range(0, count).Select(_ => StartWorker(network, cluster.BootstrapServers)).ToList();
            var (first, last) = await CountNavsAsync(cluster.BootstrapServers, expected, clock);
            var wall = clock.Elapsed.TotalSeconds;
            // How the group formed: each worker's assignments and restores (a join moves every partition).
            Console.WriteLine($"  started at {startedAt:HH:mm:ss.fff}");
            foreach (var (worker, index) in workers.Select((w, i) => (w, i)))
            {
                foreach (var line in worker.ErrorText.Split('\n').Where(l => Regex.IsMatch(l, "owns|restored|gave up")))
                    Console.WriteLine($"  worker {index + 1}: {line.TrimEnd()}");
            }
            var perWorker = await StopAsync(workers);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kafka workers x{count}: {expected:N0} NAVs of 1,000 portfolios (2020-2023, 500 stocks, {GeneratedPartitions} partitions) on the topic {wall:0.00} s after the workers started; " +
                $"first NAV at {first:0.00} s, so {expected / (last - first):N0} NAVs/s while valuing; per worker: {string.Join(", ", perWorker.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))} NAVs"));
        }
        work.Delete(recursive: true);
    }

    /// <param name="protocol">auto (the default, passed as no option at all), classic or consumer.</param>
    private static async Task TakeoverAsync(int sessionSeconds, string protocol)
    {
        var (cluster, network, _, expected, work) = await PublishedAsync();
        using (cluster)
        {
            string[] session = protocol switch
            {
                "auto" => [],
                "classic" => ["--group-protocol", "classic", "--kafka-config", $"session.timeout.ms={sessionSeconds * 1000}", "--kafka-config", $"heartbeat.interval.ms={sessionSeconds * 1000 / 3}"],
                _ => ["--group-protocol", protocol],
            };
            var workers = new[] { StartWorker(network, cluster.BootstrapServers, session), StartWorker(network, cluster.BootstrapServers, session) };
            await CountNavsAsync(cluster.BootstrapServers, expected, Stopwatch.StartNew());
            // The partitions the first worker owns now (its last "owns" line).
            var owned = FinNet.Tests.Fixtures.WorkerLog.Ownership(workers[0].ErrorText).LastOrDefault() ?? [];
            var partitioner = new KeyPartitioner(GeneratedPartitions);
            workers[0].Process.Kill();
            var killed = Stopwatch.StartNew();
            var killedAt = DateTime.Now;
            using var se1 = EmbeddedRunBenchmark.StartCli("exchange", "SE1", "--network", network, "--kafka", cluster.BootstrapServers, "--from", "2020-01-01", "--to", "2024-01-05");
            using var se2 = EmbeddedRunBenchmark.StartCli("exchange", "SE2", "--network", network, "--kafka", cluster.BootstrapServers, "--from", "2020-01-01", "--to", "2024-01-05");
            var takeover = FirstNavOf(cluster.BootstrapServers, key => owned.Contains(partitioner.PartitionOf(key)), killed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kafka takeover after 2020-2023 ({expected:N0} NAVs): the killed worker owned state partitions [{string.Join(",", owned.Order())}]; the first NAV of one of its portfolios from the other worker came {takeover:0.00} s after the SIGKILL (--group-protocol {protocol}, session timeout {sessionSeconds} s; bound {sessionSeconds + 5} s)"));
            await Task.WhenAll(se1.WaitForExitAsync(), se2.WaitForExitAsync());
            var survivor = workers[1].ErrorText;
            // Where the time went: the other worker's own account, after the kill.
            Console.WriteLine($"  killed at {killedAt:HH:mm:ss.fff}; the other worker then said:");
            foreach (var line in survivor.Split('\n').Where(l => l.Length >= 12 && TimeOnly.TryParse(l[..12], CultureInfo.InvariantCulture, out var at) && at >= TimeOnly.FromDateTime(killedAt) && Regex.IsMatch(l, "gave up|lost|owns|restored")))
                Console.WriteLine("  " + line.TrimEnd());
            await StopAsync([workers[1]]);
        }
        work.Delete(recursive: true);
    }

    /// <summary>
    /// The recorder twice, each history valued on the topics first: the default network's full history (as many
    /// end-of-day markers as rows: each exchange marks every partition every day), then 1,000 portfolios x 30 of 500
    /// stocks in 2020-2022 (1.15M rows, a marker for every 12 rows; with 2023 too, the mock evicts the oldest NAVs
    /// of some partitions before the recorder reads them).
    /// </summary>
    private static async Task RecorderIntoMariaDbAsync()
    {
        using (var cluster = MockKafkaCluster.StartWithTopics(brokers: 3, 16))
        {
            var worker = StartWorker(null, cluster.BootstrapServers);
            using (var se1 = EmbeddedRunBenchmark.StartCli("exchange", "SE1", "--kafka", cluster.BootstrapServers, "--to", "2026-11-24"))
            using (var se2 = EmbeddedRunBenchmark.StartCli("exchange", "SE2", "--kafka", cluster.BootstrapServers, "--to", "2026-11-24"))
                await Task.WhenAll(se1.WaitForExitAsync(), se2.WaitForExitAsync());
            await CountNavsAsync(cluster.BootstrapServers, DefaultNavs, Stopwatch.StartNew(), partitions: 16);
            await StopAsync([worker]);
            await TimeRecorderAsync(cluster.BootstrapServers, 16, null, DefaultPrices + DefaultNavs, "the default network's full history");
        }

        var (generated, network, prices, navs, work) = await PublishedAsync(to: "2022-12-31");
        using (generated)
        {
            var workers = new[] { StartWorker(network, generated.BootstrapServers), StartWorker(network, generated.BootstrapServers) };
            await CountNavsAsync(generated.BootstrapServers, navs, Stopwatch.StartNew());
            await StopAsync(workers);
            await TimeRecorderAsync(generated.BootstrapServers, GeneratedPartitions, network, prices + navs, "1,000 portfolios x 30 of 500 stocks, 2020-2022");
        }
        work.Delete(recursive: true);
    }

    /// <summary>
    /// Starts one recorder into a throwaway MariaDB and prints its rows/s from its first commit to its last; then,
    /// in the same run, the two ceilings: the rows it stored, bulk-copied bare into the same server in batches of
    /// the recorder's size, and the topics read by a bare consumer.
    /// </summary>
    private static async Task TimeRecorderAsync(string kafka, int partitions, string? network, long rows, string what)
    {
        await using var server = await FinNet.Tests.Fixtures.MariaDbServer.StartAsync();
        var (serverCpu, ownCpu) = (server.ProcessorTime, Process.GetCurrentProcess().TotalProcessorTime);
        var clock = Stopwatch.StartNew();
        string[] networkOption = network is null ? [] : ["--network", network];
        using var recorder = EmbeddedRunBenchmark.StartCli(["recorder", .. networkOption, "--kafka", kafka, "--store", server.Uri("InvestorsDB")]);
        // The poll must not load the server it measures: COUNT(*) scans a table (a million rows: most of a core at
        // 50 ms a poll), so the first commit is one row read back, and the end the server's count of rows written (Handler_write),
        // confirmed by COUNT(*) only once it reached the total.
        double? first = null;
        string? Scalar(string sql)
        {
            try
            {
                return server.Query("InvestorsDB", sql) is [[var value], ..] ? value : null;
            }
            catch (MySqlConnector.MySqlException)
            {
                return null; // not created yet
            }
        }
        long Number(string sql, int column = 0) => long.Parse(server.Query("InvestorsDB", sql)[0][column]!, CultureInfo.InvariantCulture);
        while (true)
        {
            if (first is null && Scalar("SELECT 1 FROM StockPrices UNION ALL SELECT 1 FROM PortfolioNavs LIMIT 1") is not null)
                first = clock.Elapsed.TotalSeconds;
            if (first is not null && Number("SHOW GLOBAL STATUS LIKE 'Handler_write'", column: 1) >= rows
                && Number("SELECT (SELECT COUNT(*) FROM StockPrices) + (SELECT COUNT(*) FROM PortfolioNavs)") == rows)
                break;
            await Task.Delay(50); // a benchmark's progress poll
        }
        var last = clock.Elapsed.TotalSeconds;
        recorder.Refresh();
        var recorderCpu = recorder.TotalProcessorTime.TotalSeconds;
        recorder.Kill();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kafka recorder into MariaDB: {rows:N0} rows of {what}, every row stored {last:0.00} s after the recorder started; {rows / (last - first!.Value):N0} rows/s from its first commit to its last"));
        // Where the two cores went meanwhile: the mock cluster serves fetches from this process (with the poll).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU over those {last:0.00} s: recorder {recorderCpu:0.00} s, MariaDB {(server.ProcessorTime - serverCpu).TotalSeconds:0.00} s, mock cluster and poll {(Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds:0.00} s"));
        var loaded = network is null ? NetworkFile.LoadDefault() : NetworkFile.Load(network);
        // Each batch as it arrives (by date, every series interleaved) and as FinNet's bulk path loads it (in key
        // order, MySqlBulkWrite.KeyOrder): InnoDB takes the second faster.
        var stored = StoredBatches(server.RootConnectionString + ";Database=InvestorsDB");
        var keyed = stored.Select(FinNet.Storage.MySql.MySqlBulkWrite.InKeyOrder).ToList();
        await StoreWriteBenchmark.BareBulkCopyAsync(server.Uri("Bare"), server.RootConnectionString + ";Database=Bare;AllowLoadLocalInfile=true",
            loaded, stored, $"the rows the recorder stored, by date, {FinNet.Messaging.Kafka.Recording.MaxBatchRows:N0} a batch as the recorder takes them");
        await StoreWriteBenchmark.BareBulkCopyAsync(server.Uri("Bare"), server.RootConnectionString + ";Database=Bare;AllowLoadLocalInfile=true",
            loaded, keyed, "the same batches, each in key order as FinNet loads them");
        BareConsume(kafka, partitions, rows);
    }

    /// <summary>A store's prices and NAVs read back in date order, cut into batches of whole days of at least the recorder's batch size (<see cref="FinNet.Messaging.Kafka.Recording.MaxBatchRows"/>).</summary>
    private static List<RecordBatch> StoredBatches(string connectionString)
    {
        using var connection = new MySqlConnector.MySqlConnection(connectionString);
        connection.Open();
        var prices = new List<PriceQuote>();
        using (var command = new MySqlConnector.MySqlCommand("SELECT Ticker, AsOf, Price, Exchange FROM StockPrices ORDER BY AsOf, Ticker", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                prices.Add(new PriceQuote(reader.GetString(0), DateOnly.FromDateTime(reader.GetDateTime(1)), reader.GetDecimal(2), reader.GetString(3)));
        }
        var navs = new List<NavUpdate>();
        using (var command = new MySqlConnector.MySqlCommand("SELECT iid, pid, AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM PortfolioNavs ORDER BY AsOf, iid, pid", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                decimal? Nullable(int i) => reader.IsDBNull(i) ? null : reader.GetDecimal(i);
                navs.Add(new NavUpdate(reader.GetString(0), reader.GetString(1), DateOnly.FromDateTime(reader.GetDateTime(2)), 0m, 1m, reader.GetDecimal(3), Nullable(4), Nullable(5)));
            }
        }
        var batches = new List<RecordBatch>();
        var (p, n) = (0, 0);
        while (p < prices.Count || n < navs.Count)
        {
            var (fromP, fromN) = (p, n);
            while ((p - fromP) + (n - fromN) < FinNet.Messaging.Kafka.Recording.MaxBatchRows && (p < prices.Count || n < navs.Count))
            {
                var day = p < prices.Count && (n == navs.Count || prices[p].Date <= navs[n].Date) ? prices[p].Date : navs[n].Date;
                while (p < prices.Count && prices[p].Date == day)
                    p++;
                while (n < navs.Count && navs[n].Date == day)
                    n++;
            }
            batches.Add(new RecordBatch(prices[fromP..p], navs[fromN..n]));
        }
        return batches;
    }

    /// <summary>
    /// The other ceiling: the recorder's messages (both topics, every partition) read by a bare Confluent.Kafka
    /// consumer with FinNet's consumer settings, in this process, nothing decoded or kept.
    /// </summary>
    private static void BareConsume(string kafka, int partitions, long rows)
    {
        var defaults = new KafkaTopics();
        var config = new KafkaSettings(kafka, new Dictionary<string, string>(), defaults).Consumer("bench-bare-consume");
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        var clock = Stopwatch.StartNew();
        string[] topics = [defaults.Prices, defaults.Navs];
        consumer.Assign(topics.SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(t, p, Offset.Beginning))));
        var (open, messages) = (topics.Length * partitions, 0L);
        while (open > 0)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("the topics were not read to their ends within 30 s");
            if (result.IsPartitionEOF)
                open--;
            else
                messages++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bare consume (Confluent.Kafka, FinNet's consumer settings): {messages:N0} messages of both topics in {clock.Elapsed.TotalSeconds:0.00} s = {messages / clock.Elapsed.TotalSeconds:N0} messages/s ({rows:N0} rows among them)"));
    }

    /// <param name="network">A network file, or null for the default network.</param>
    private static EmbeddedRunBenchmark.CliProcess StartWorker(string? network, string kafka, string[]? extra = null)
    {
        string[] args = network is null ? ["investor"] : ["investor", "--network", network];
        return EmbeddedRunBenchmark.StartCliKeepingErrors([.. args, "--kafka", kafka, "--log-level", "information", .. extra ?? []]);
    }

    /// <summary>Stops the workers (SIGTERM) and returns the NAVs each says it published.</summary>
    private static async Task<List<long>> StopAsync(IEnumerable<EmbeddedRunBenchmark.CliProcess> workers)
    {
        var counts = new List<long>();
        foreach (var worker in workers)
        {
            using (var kill = Process.Start("kill", ["-TERM", worker.Process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await worker.Process.WaitForExitAsync();
            counts.Add(FinNet.Tests.Fixtures.WorkerLog.NavsPublished(worker.ErrorText) ?? -1);
            worker.Process.Dispose();
        }
        return counts;
    }

    /// <summary>Reads the NAV topic until it holds <paramref name="expected"/> NAVs; when the first and the last came, on <paramref name="clock"/>.</summary>
    private static async Task<(double First, double Last)> CountNavsAsync(string kafka, long expected, Stopwatch clock, int partitions = GeneratedPartitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka, GroupId = "bench-counter", EnableAutoCommit = false }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset("portfolios", p, Offset.Beginning)));
        double? first = null;
        for (long seen = 0; seen < expected;)
        {
            if (consumer.Consume(TimeSpan.FromMinutes(5)) is null)
                throw new TimeoutException($"only {seen:N0} of {expected:N0} NAVs within 5 minutes");
            first ??= clock.Elapsed.TotalSeconds;
            seen++;
        }
        await Task.CompletedTask;
        return (first!.Value, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Seconds on <paramref name="clock"/> when a NAV for which <paramref name="wanted"/> holds arrives at the end of the NAV topic.</summary>
    private static double FirstNavOf(string kafka, Func<string, bool> wanted, Stopwatch clock)
    {
        using var consumer = new ConsumerBuilder<string, Ignore>(new ConsumerConfig { BootstrapServers = kafka, GroupId = "bench-takeover", EnableAutoCommit = false }).Build();
        consumer.Assign(Enumerable.Range(0, GeneratedPartitions).Select(p => new TopicPartitionOffset("portfolios", p, Offset.End)));
        while (true)
        {
            var result = consumer.Consume(TimeSpan.FromMinutes(2)) ?? throw new TimeoutException("no NAV of the killed worker's portfolios within 2 minutes");
            if (wanted(result.Message.Key))
                return clock.Elapsed.TotalSeconds;
        }
    }
}
