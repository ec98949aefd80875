using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using FinNet.Messaging.Kafka;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;
using FinNet.Tests.Storage;

namespace FinNet.Tests.IntegrationTests.Messaging.Kafka;

/// <summary>
/// FinNet through Kafka, on librdkafka's mock cluster over real TCP (3 brokers, topics of several partitions): one
/// process or separate service processes record exactly what the embedded run records; services killed and
/// restarted change nothing; malformed messages land in the dead-letter topic; an exchange resumes.
/// </summary>
public sealed class KafkaPipelineTests : IDisposable
{
    private const int Partitions = 6;
    private readonly TempDirectory _directory = new();
    private readonly MockKafkaCluster _cluster = MockKafkaCluster.StartWithTopics(brokers: 3, Partitions);

    private string Kafka => _cluster.BootstrapServers;

    /// <summary>Every table and view of an uninterrupted embedded run, without its provenance (services record none).</summary>
    private async Task<List<string>> EmbeddedDumpAsync(string from, string to)
    {
        var db = _directory.File("embedded.db");
        var run = await CliRunner.InvokeAsync("run", "--from", from, "--to", to, "--store", "sqlite:" + db, "--reports", _directory.File("embedded-reports"));
        Assert.Equal(0, run.ExitCode);
        return WithoutProvenance(CliRunner.Dump(db));
    }

    private static List<string> WithoutProvenance(List<string> dump) => dump.Where(row => !row.StartsWith("FinNetProvenance:", StringComparison.Ordinal)).ToList();

    private static long Count(string db, string table) => SqliteQuery.CountWhileRunning(db, table);

    [Fact]
    public async Task Run_through_kafka_records_exactly_the_embedded_run()
    {
        var db = _directory.File("kafka.db");

        var run = await CliRunner.InvokeAsync("run", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-04-30", "--store", "sqlite:" + db, "--reports", _directory.File("r"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(await EmbeddedDumpAsync("2024-01-01", "2024-04-30"), WithoutProvenance(CliRunner.Dump(db)));
        var reports = Directory.GetFiles(_directory.File("r")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(19, reports.Count);
        foreach (var name in reports)
            Assert.Equal(File.ReadAllText(_directory.File("embedded-reports/" + name)), File.ReadAllText(_directory.File("r/" + name)));
    }

    [Fact]
    public async Task Separate_service_processes_record_exactly_the_embedded_run_and_stop_cleanly()
    {
        var db = _directory.File("services.db");
        using var recorder = FinNetProcess.Start("recorder", "--kafka", Kafka, "--store", "sqlite:" + db, "--log-level", "information");
        using var investors = new ProcessGroup(["Inv1", "Inv2", "Inv3"], id => FinNetProcess.Start("investor", id, "--kafka", Kafka, "--log-level", "information"));
        using var se1 = FinNetProcess.Start("exchange", "SE1", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-04-30");
        using var se2 = FinNetProcess.Start("exchange", "SE2", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-04-30");

        Assert.Equal((0, 0), (await se1.WaitForExitAsync(), await se2.WaitForExitAsync()));
        // 85 trading days x (24 prices, 6 NAVs): the services are done when the store holds them all.
        await recorder.WaitUntilAsync(() => Count(db, "PortfolioNavs") == 6 * 85 && Count(db, "StockPrices") == 24 * 85, "it recorded everything");
        await investors.TerminateAllAsync();
        recorder.Terminate();

        await FinNetProcess.AssertExitedCleanlyAsync([.. investors.All, recorder]);
        Assert.Equal(await EmbeddedDumpAsync("2024-01-01", "2024-04-30"), WithoutProvenance(CliRunner.Dump(db)));
        // What it says about its work: the partitions it got, and on the way out its rows (every row recorded,
        // 85 x 30) and no lag left.
        Assert.Contains("Recorder (group finnet-recorder) assigned StockExchange[0-5], portfolios[0-5]", recorder.Error, StringComparison.Ordinal);
        Assert.Matches(@"Recorder stopping: 2550 rows in [0-9.]+ s \([0-9]+ rows/s\); lag StockExchange 0, portfolios 0", recorder.Error);
        // An investor reads every price partition and publishes its 2 portfolios' NAVs of the 85 days.
        Assert.Contains("Investor Inv1 (group finnet-investor-Inv1) assigned StockExchange[0-5]", investors[0].Error, StringComparison.Ordinal);
        Assert.Matches(@"Investor Inv1 stopping: 170 NAVs in [0-9.]+ s \([0-9]+ NAVs/s\); lag StockExchange 0", investors[0].Error);
    }

    [Fact]
    public async Task Serve_over_kafka_alone_and_after_a_store_shows_the_reports_of_what_the_services_recorded()
    {
        var db = _directory.File("served.db");
        using var http = new HttpClient();
        async Task<JsonNode> Get(string url) => JsonNode.Parse(await http.GetStringAsync(url, TestContext.Current.CancellationToken))!;
        long Received(string url) => Get(url + "/api/status").GetAwaiter().GetResult()["navs_received"]!.GetValue<long>();

        // The dashboard first, on the empty topics: it shows what arrives.
        using var live = FinNetProcess.Start("serve", "--kafka", Kafka, "--listen", "http://127.0.0.1:0");
        var url = (await live.FirstOutputLineAsync())["serving on ".Length..];
        using var recorder = FinNetProcess.Start("recorder", "--kafka", Kafka, "--store", "sqlite:" + db);
        using var investors = new ProcessGroup(["Inv1", "Inv2", "Inv3"], id => FinNetProcess.Start("investor", id, "--kafka", Kafka));
        using var se1 = FinNetProcess.Start("exchange", "SE1", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-04-30");
        using var se2 = FinNetProcess.Start("exchange", "SE2", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-04-30");
        Assert.Equal((0, 0), (await se1.WaitForExitAsync(), await se2.WaitForExitAsync()));
        await recorder.WaitUntilAsync(() => Count(db, "PortfolioNavs") == 6 * 85 && Count(db, "StockPrices") == 24 * 85, "it recorded everything");
        await live.WaitUntilAsync(() => Received(url) == 6 * 85, "the dashboard has every NAV (85 trading days)");

        // The store's history, then Kafka: the topics repeat that history (dropped as duplicates) and nothing is missing.
        using var both = FinNetProcess.Start("serve", "--kafka", Kafka, "--store", "sqlite:" + db, "--listen", "http://127.0.0.1:0");
        var bothUrl = (await both.FirstOutputLineAsync())["serving on ".Length..];
        // Every NAV from the store, then every one again from the topics, each dropped as a duplicate.
        await both.WaitUntilAsync(() => Received(bothUrl) == 6 * 85, "the second dashboard has every NAV");
        await both.WaitUntilAsync(() => Get(bothUrl + "/api/status").GetAwaiter().GetResult()["duplicates"]!.GetValue<long>() == 6 * 85, "the topics read through");

        var reports = _directory.File("served-reports");
        Assert.Equal(0, (await CliRunner.InvokeAsync("report", "--store", "sqlite:" + db, "--reports", reports, "--format", "json")).ExitCode);
        foreach (var key in new[] { "Inv1_P11", "Inv2_P22", "Inv3_P31" })
        {
            var written = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(reports, $"{key}_stats.json"), TestContext.Current.CancellationToken));
            FinNet.Tests.Analyst.ReportTolerance.AssertEqual(written, await Get($"{url}/api/portfolios/{key}"), key);
            FinNet.Tests.Analyst.ReportTolerance.AssertEqual(written, await Get($"{bothUrl}/api/portfolios/{key}"), key);
        }
        var status = await Get(bothUrl + "/api/status");
        Assert.Equal((6L * 85, true), (status["duplicates"]!.GetValue<long>(), status["healthy"]!.GetValue<bool>()));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(bothUrl + "/healthz", TestContext.Current.CancellationToken)).StatusCode);
        var metrics = await http.GetStringAsync(url + "/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("finnet_lag_messages{partition=\"portfolios[0]\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains($"finnet_navs_received_total {6 * 85}", metrics, StringComparison.Ordinal);

        await investors.TerminateAllAsync();
        recorder.Terminate();
        live.Terminate();
        both.Terminate();
        Assert.Equal((0, 0, 0), (await recorder.WaitForExitAsync(), await live.WaitForExitAsync(), await both.WaitForExitAsync()));
    }

    [Fact]
    public async Task Two_recorders_share_the_partitions_and_record_exactly_the_embedded_run()
    {
        var db = _directory.File("two-recorders.db");
        using var first = FinNetProcess.Start("recorder", "--kafka", Kafka, "--store", "sqlite:" + db, "--log-level", "information");
        using var second = FinNetProcess.Start("recorder", "--kafka", Kafka, "--store", "sqlite:" + db, "--log-level", "information");
        // The group has split the partitions between them (each one's latest change is an assignment) before a
        // price is published, so that both have work.
        static bool Assigned(FinNetProcess recorder) =>
            recorder.Error.Split('\n').LastOrDefault(l => l.Contains("Recorder (group finnet-recorder) ", StringComparison.Ordinal)) is { } last
            && last.Contains(" assigned ", StringComparison.Ordinal);
        await second.WaitUntilAsync(() => Assigned(first) && Assigned(second), "both recorders have partitions", () => first.Error);
        using var investors = new ProcessGroup(["Inv1", "Inv2", "Inv3"], id => FinNetProcess.Start("investor", id, "--kafka", Kafka));
        using var se1 = FinNetProcess.Start("exchange", "SE1", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-02-29");
        using var se2 = FinNetProcess.Start("exchange", "SE2", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-02-29");

        Assert.Equal((0, 0), (await se1.WaitForExitAsync(), await se2.WaitForExitAsync()));
        // 43 trading days x (24 prices, 6 NAVs).
        await first.WaitUntilAsync(() => Count(db, "PortfolioNavs") == 6 * 43 && Count(db, "StockPrices") == 24 * 43, "they recorded everything");
        await investors.TerminateAllAsync();
        first.Terminate();
        second.Terminate();

        await FinNetProcess.AssertExitedCleanlyAsync([.. investors.All, first, second]);
        Assert.Equal(await EmbeddedDumpAsync("2024-01-01", "2024-02-29"), WithoutProvenance(CliRunner.Dump(db)));
        // Both did part of the work: each recorded rows, together at least all 1,290 (a re-delivery counts twice).
        var rows = new[] { first, second }.Select(r => long.Parse(
            System.Text.RegularExpressions.Regex.Match(r.Error, @"Recorder stopping: ([0-9]+) rows").Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.All(rows, count => Assert.True(count > 0, $"a recorder recorded nothing: {string.Join(", ", rows)}"));
        Assert.True(rows.Sum() >= 30 * 43, $"rows recorded: {string.Join(", ", rows)}");
    }

    [Fact]
    public async Task On_a_one_partition_topic_exchanges_without_markers_still_give_the_embedded_run()
    {
        // The original setup: one partition, prices only (as the Python exchanges publish them).
        _cluster.CreateTopic("Prices1", 1, 3);
        _cluster.CreateTopic("Prices1.dlq", 1, 3);
        _cluster.CreateTopic("Navs1", 1, 3);
        _cluster.CreateTopic("Navs1.dlq", 1, 3);
        string[] Topics(params string[] args) => [.. args, "--kafka", Kafka, "--price-topic", "Prices1", "--nav-topic", "Navs1"];
        var db = _directory.File("one-partition.db");
        using var recorder = FinNetProcess.Start(Topics("recorder", "--store", "sqlite:" + db));
        using var investors = new ProcessGroup(["Inv1", "Inv2", "Inv3"], id => FinNetProcess.Start(Topics("investor", id)));
        using var se1 = FinNetProcess.Start(Topics("exchange", "SE1", "--markers", "off", "--from", "2024-01-01", "--to", "2024-02-29"));
        using var se2 = FinNetProcess.Start(Topics("exchange", "SE2", "--markers", "off", "--from", "2024-01-01", "--to", "2024-02-29"));

        Assert.Equal((0, 0), (await se1.WaitForExitAsync(), await se2.WaitForExitAsync()));
        // Jan-Feb 2024: 23 + 21 = 44 weekdays less 1 Jan = 43 trading days.
        await recorder.WaitUntilAsync(() => Count(db, "PortfolioNavs") == 6 * 43 && Count(db, "StockPrices") == 24 * 43, "it recorded everything");
        await investors.TerminateAllAsync();
        recorder.Terminate();

        await FinNetProcess.AssertExitedCleanlyAsync([.. investors.All, recorder]);
        Assert.DoesNotContain(ReadAll("Prices1"), m => m.Key is "SE1" or "SE2"); // no marker was sent
        Assert.Equal(await EmbeddedDumpAsync("2024-01-01", "2024-02-29"), WithoutProvenance(CliRunner.Dump(db)));
    }

    [Fact]
    public async Task Client_settings_pass_through_and_their_values_are_never_printed()
    {
        var file = _directory.File("client.properties");
        await File.WriteAllTextAsync(file, "# a secured cluster's settings\nsasl.username = alice\nsasl.password=File-Secret-88\n", TestContext.Current.CancellationToken);

        using var run = FinNetProcess.Start("--log-level", "debug", "run", "--kafka", Kafka, "--kafka-config-file", file, "--kafka-config", "sasl.mechanism=Flag-Secret-77",
            "--from", "2024-01-01", "--to", "2024-01-10", "--store", "sqlite:" + _directory.File("s.db"), "--reports", _directory.File("r"));
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, run.Error);
        Assert.Contains("***", run.Error, StringComparison.Ordinal); // librdkafka warned about a setting, and its value was masked
        Assert.DoesNotContain("Flag-Secret-77", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("File-Secret-88", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_exchange_resumes_after_the_last_day_it_fully_published()
    {
        using (var january = FinNetProcess.Start("exchange", "SE1", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-01-31"))
            Assert.Equal(0, await january.WaitForExitAsync());

        using var again = FinNetProcess.Start("exchange", "SE1", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-02-29");
        Assert.Equal(0, await again.WaitForExitAsync());

        // February 2024 has 21 weekdays and no holiday of the default calendar: 21 days x 12 stocks.
        Assert.Contains("finnet exchange SE1: published 252 prices, 2024-02-01..2024-02-29", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_messages_go_to_the_dead_letter_topics_with_their_reason_and_the_rest_is_recorded()
    {
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Kafka }).Build())
        {
            await producer.ProduceAsync(new TopicPartition("StockExchange", 0), new Message<string, byte[]> { Key = "IBM", Value = Encoding.UTF8.GetBytes("not json") }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(new TopicPartition("StockExchange", 1), new Message<string, byte[]> { Key = "IBM", Value = Encoding.UTF8.GetBytes("""{"TICK": "IBM", "PRICE": -5, "DATE": "2024-01-02"}""") }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync("portfolios", new Message<string, byte[]> { Key = "Inv9_P9", Value = Encoding.UTF8.GetBytes("""{"investor_id": "Inv9", "portfolio_id": "P9", "date": "2024-01-02", "value": 1}""") }, TestContext.Current.CancellationToken);
        }
        var db = _directory.File("dlq.db");

        var run = await CliRunner.InvokeAsync("run", "--kafka", Kafka, "--from", "2024-01-01", "--to", "2024-01-31", "--store", "sqlite:" + db, "--reports", _directory.File("r"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(await EmbeddedDumpAsync("2024-01-01", "2024-01-31"), WithoutProvenance(CliRunner.Dump(db)));
        var dead = ReadAll("StockExchange.dlq").Concat(ReadAll("portfolios.dlq"))
            .Select(m => Encoding.UTF8.GetString(m.Headers.GetLastBytes("finnet-reason"))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, dead.Count);
        Assert.Equal(["PRICE -5 is not positive", "no shares outstanding known for Inv9_P9"], dead[..2]);
        Assert.StartsWith("not JSON (", dead[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prices_go_to_the_partition_librdkafkas_murmur2_partitioner_picks_for_their_ticker()
    {
        var network = FinNet.Network.NetworkFile.LoadDefault();
        var partitioner = new KeyPartitioner(Partitions);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Kafka, Partitioner = Partitioner.Murmur2Random }).Build();

        foreach (var ticker in network.Stocks.Select(s => s.Ticker).Append("S0001").Append("ÄÖÜ-ticker"))
        {
            var delivered = await producer.ProduceAsync("StockExchange.dlq", new Message<string, byte[]> { Key = ticker, Value = [] }, TestContext.Current.CancellationToken);
            Assert.True(partitioner.PartitionOf(ticker) == delivered.Partition.Value, $"{ticker}: FinNet {partitioner.PartitionOf(ticker)}, librdkafka {delivered.Partition.Value}");
        }
    }

    [Fact]
    public async Task Stray_messages_while_the_services_run_are_dead_lettered_and_change_nothing_recorded()
    {
        var db = _directory.File("strays.db");
        string[] Q1(params string[] args) => [.. args, "--kafka", Kafka];
        using var recorder = FinNetProcess.Start(Q1("recorder", "--store", "sqlite:" + db));
        var inv1 = FinNetProcess.Start(Q1("investor", "Inv1"));
        using var others = new ProcessGroup(["Inv2", "Inv3"], id => FinNetProcess.Start(Q1("investor", id)));
        // Paced at 20 ms a trading day, Q1 2024 (63 days) takes ~1.3 s: the strays arrive while the services run.
        // (SqliteQuery.CountWhileRunning counts rows of a table expression: a table, or a table with a WHERE.)
        using var se1 = FinNetProcess.Start(Q1("exchange", "SE1", "--from", "2024-01-01", "--to", "2024-03-31", "--day-interval", "20ms"));
        using var se2 = FinNetProcess.Start(Q1("exchange", "SE2", "--from", "2024-01-01", "--to", "2024-03-31", "--day-interval", "20ms"));
        var largestLag = 0L;
        bool Recorded(long navs, long prices)
        {
            var (n, p) = (Count(db, "PortfolioNavs"), Count(db, "StockPrices"));
            largestLag = Math.Max(largestLag, (p / 24) - (n / 6)); // trading days priced but not yet valued and recorded
            return n >= navs && p >= prices;
        }

        // The real IBM price and Inv2_P21 NAV of 10 January are stored before their conflicting copies are sent.
        bool Stored(string sql) => SqliteQuery.CountWhileRunning(db, sql) > 0;
        await recorder.WaitUntilAsync(
            () => Recorded(6 * 10, 24 * 10) && Stored("StockPrices WHERE Ticker = 'IBM' AND AsOf = '2024-01-10'")
                && Stored("PortfolioNavs WHERE iid = 'Inv2' AND pid = 'P21' AND AsOf = '2024-01-10'"),
            "it recorded ten days, IBM's price and Inv2_P21's NAV of 10 January among them");
        var partitioner = new KeyPartitioner(Partitions);
        var home = partitioner.PartitionOf("IBM");
        string Price(string ticker, string date, string price, string exchange) => $$"""{"TICK":"{{ticker}}","PRICE":{{price}},"DATE":"{{date}}","EXCHANGE":"{{exchange}}"}""";
        string Nav(string investor, string portfolio, string date, string value) => $$"""{"investor_id":"{{investor}}","portfolio_id":"{{portfolio}}","date":"{{date}}","value":{{value}}}""";
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Kafka }).Build())
        {
            async Task Send(string topic, int? partition, string key, string json) => await producer.ProduceAsync(
                new TopicPartition(topic, partition ?? Partition.Any), new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(json) }, TestContext.Current.CancellationToken);
            await Send("StockExchange", (home + 1) % Partitions, "IBM", Price("IBM", "2024-03-05", "1.00", "SE1")); // a misplaced copy of a later day
            await Send("StockExchange", home, "IBM", Price("IBM", "2024-01-10", "1.00", "SE1")); // conflicting, after the real one
            await Send("StockExchange", new KeyPartitioner(Partitions).PartitionOf("NOPE"), "NOPE", Price("NOPE", "2024-01-11", "5.00", "SE1"));
            await Send("StockExchange", home, "IBM", Price("IBM", "2024-03-06", "50.00", "SE2")); // a wrong exchange, ahead of the real day
            await Send("StockExchange", home, "IBM", Price("IBM", "2024-01-06", "50.00", "SE1")); // a Saturday
            // NAVs on their key's partition (murmur2), where FinNet's investors put them too.
            await Send("portfolios", partitioner.PartitionOf("Inv1_P12"), "Inv1_P12", Nav("Inv1", "P12", "2030-01-01", "1000000")); // a foreign NAV on New Year's Day
            await Send("portfolios", partitioner.PartitionOf("Inv1_P11"), "Inv1_P11", Nav("Inv1", "P11", "2024-01-09", "-100"));
            await Send("portfolios", partitioner.PartitionOf("Inv2_P21"), "Inv2_P21", Nav("Inv2", "P21", "2024-01-10", "1000000")); // conflicting, after the real one
            await Send("portfolios", partitioner.PartitionOf("Inv2_P21"), "Inv2_P21", Nav("Inv2", "P21", "2024-01-10", "1000000")); // and again: each copy is dead-lettered
            await Send("portfolios", (partitioner.PartitionOf("Inv3_P31") + 1) % Partitions, "Inv3_P31", Nav("Inv3", "P31", "2024-01-11", "1000000")); // misplaced
        }
        // An investor restarted now reads the foreign NAV back as restart state.
        inv1.Kill();
        await inv1.WaitForExitAsync();
        inv1.Dispose();
        using var inv1Again = FinNetProcess.Start(Q1("investor", "Inv1"));

        Assert.Equal((0, 0), (await se1.WaitForExitAsync(), await se2.WaitForExitAsync()));
        // Q1 2024: 65 weekdays less 1 January and 25 March.
        await recorder.WaitUntilAsync(() => Recorded(6 * 63, 24 * 63), "it recorded everything",
            () => $"{Count(db, "PortfolioNavs")} NAVs and {Count(db, "StockPrices")} prices recorded; the restarted Inv1 said:\n{inv1Again.Error}");
        // Stopped only once it is past start-up (a SIGTERM before Main registered its handler would end it with 143):
        // it says so by warning that its restart state skipped the foreign NAVs, which is under test too.
        await inv1Again.WaitUntilAsync(() => inv1Again.Error.Contains("Investor Inv1 ignored the message at portfolios/", StringComparison.Ordinal),
            "the restarted Inv1 read its restart state, ignoring the foreign NAVs");
        inv1Again.Terminate();
        recorder.Terminate();
        await others.TerminateAllAsync();

        await FinNetProcess.AssertExitedCleanlyAsync([.. others.All, inv1Again, recorder]);
        Assert.Equal(await EmbeddedDumpAsync("2024-01-01", "2024-03-31"), WithoutProvenance(CliRunner.Dump(db)));
        var dead = ReadAll("StockExchange.dlq").Concat(ReadAll("portfolios.dlq"))
            .Select(m => Encoding.UTF8.GetString(m.Headers.GetLastBytes("finnet-reason"))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "2024-01-06 is not a trading day of SE1",
                "2030-01-01 is not a trading day of Inv1_P12's exchanges",
                "IBM is listed on SE1, not on 'SE2'",
                "conflict: a different NAV of Inv2_P21 for 2024-01-10 came first and stands",
                "conflict: a different NAV of Inv2_P21 for 2024-01-10 came first and stands",
                "conflict: a different price of IBM for 2024-01-10 came first and stands",
                $"misplaced: NAVs of Inv3_P31 belong on partition {partitioner.PartitionOf("Inv3_P31")}, not {(partitioner.PartitionOf("Inv3_P31") + 1) % Partitions}",
                $"misplaced: prices of IBM belong on partition {home}, not {(home + 1) % Partitions}",
                "unknown ticker 'NOPE'",
                "value -100 is not positive",
            ],
            dead);
        // The recorder keeps only where each row came from; a refused one is read back from its topic, and its dead
        // letter carries the message as it was sent.
        var conflicts = ReadAll("StockExchange.dlq").Concat(ReadAll("portfolios.dlq"))
            .Where(m => Encoding.UTF8.GetString(m.Headers.GetLastBytes("finnet-reason")).StartsWith("conflict:", StringComparison.Ordinal))
            .Select(m => (m.Key, Value: Encoding.UTF8.GetString(m.Value))).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("IBM", Price("IBM", "2024-01-10", "1.00", "SE1")), ("Inv2_P21", Nav("Inv2", "P21", "2024-01-10", "1000000")), ("Inv2_P21", Nav("Inv2", "P21", "2024-01-10", "1000000"))],
            conflicts);
        TestContext.Current.TestOutputHelper?.WriteLine($"largest lag seen: {largestLag} trading days priced ahead of the recorded NAVs");
    }

    [Theory]
    [InlineData(42, 150)]
    [InlineData(7, 600)]
    public async Task Investor_and_recorder_killed_mid_run_and_restarted_give_the_uninterrupted_database(long seed, int killAfterNavs)
    {
        var db = _directory.File($"killed-{seed}.db");
        string[] Year2000(params string[] args) => [.. args, "--kafka", Kafka];
        var recorder = FinNetProcess.Start(Year2000("recorder", "--store", "sqlite:" + db));
        var inv1 = FinNetProcess.Start(Year2000("investor", "Inv1"));
        using var others = new ProcessGroup(["Inv2", "Inv3"], id => FinNetProcess.Start(Year2000("investor", id)));
        // Paced at 10 ms a trading day, 2000 takes ~2.6 s: time to kill the services in the middle of it.
        using var se1 = FinNetProcess.Start(Year2000("exchange", "SE1", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--from", "2000-01-01", "--to", "2000-12-31", "--day-interval", "10ms"));
        using var se2 = FinNetProcess.Start(Year2000("exchange", "SE2", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--from", "2000-01-01", "--to", "2000-12-31", "--day-interval", "10ms"));

        await recorder.WaitUntilAsync(() => Count(db, "PortfolioNavs") >= killAfterNavs, $"it recorded {killAfterNavs} NAVs");
        inv1.Kill();
        recorder.Kill();
        await Task.WhenAll(inv1.WaitForExitAsync(), recorder.WaitForExitAsync());
        var atKill = Count(db, "PortfolioNavs");
        inv1.Dispose();
        recorder.Dispose();
        using var inv1Again = FinNetProcess.Start(Year2000("investor", "Inv1"));
        using var recorderAgain = FinNetProcess.Start(Year2000("recorder", "--store", "sqlite:" + db));

        Assert.Equal((0, 0), (await se1.WaitForExitAsync(), await se2.WaitForExitAsync()));
        await recorderAgain.WaitUntilAsync(() => Count(db, "PortfolioNavs") == 6 * 255 && Count(db, "StockPrices") == 24 * 255, "it recorded everything");
        inv1Again.Terminate();
        recorderAgain.Terminate();
        await others.TerminateAllAsync();
        await FinNetProcess.AssertExitedCleanlyAsync([.. others.All, inv1Again, recorderAgain]);

        var embedded = _directory.File($"embedded-{seed}.db");
        Assert.Equal(0, (await CliRunner.InvokeAsync("run", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--from", "2000-01-01", "--to", "2000-12-31", "--store", "sqlite:" + embedded, "--reports", _directory.File("er"))).ExitCode);
        Assert.InRange(atKill, killAfterNavs, (6 * 255) - 1);
        Assert.Equal(WithoutProvenance(CliRunner.Dump(embedded)), WithoutProvenance(CliRunner.Dump(db)));

        // The NAV topic, deduplicated by (portfolio, date), is the uninterrupted stream; every duplicate is identical.
        var navs = ReadAll("portfolios").GroupBy(m => (m.Key, Date: System.Text.Json.Nodes.JsonNode.Parse(m.Value)!["date"]!.GetValue<string>())).ToList();
        Assert.Equal(6 * 255, navs.Count);
        Assert.All(navs, g => Assert.Single(g.Select(m => Encoding.UTF8.GetString(m.Value)).Distinct()));
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: killed at {atKill} NAVs; the NAV topic held {navs.Sum(g => g.Count()) - navs.Count} duplicates (mock cluster: no read_committed)");
    }

    [Fact]
    public async Task A_broker_outage_and_injected_request_errors_leave_the_result_unchanged()
    {
        const short Produce = 0, Fetch = 1, OffsetCommit = 8;
        const int NotLeader = 6, RequestTimedOut = 7, CoordinatorNotAvailable = 15;
        _cluster.StartRequestTracking();
        _cluster.PushRequestErrors(Produce, NotLeader, RequestTimedOut, NotLeader);
        _cluster.PushRequestErrors(Fetch, NotLeader, NotLeader);
        _cluster.PushRequestErrors(OffsetCommit, CoordinatorNotAvailable, CoordinatorNotAvailable);
        var db = _directory.File("faults.db");
        using var run = FinNetProcess.Start("run", "--kafka", Kafka, "--from", "2000-01-01", "--to", "2000-12-31", "--day-interval", "10ms",
            "--store", "sqlite:" + db, "--reports", _directory.File("r"));

        await run.WaitUntilAsync(() => Count(db, "PortfolioNavs") >= 100, "it recorded 100 NAVs");
        _cluster.SetBrokerDown(1);
        var atOutage = Count(db, "PortfolioNavs");
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken); // the outage's length, not a wait for anything
        _cluster.SetBrokerUp(1);
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, run.Error);
        Assert.InRange(atOutage, 100, (6 * 255) - 1);
        // Each pushed error answers the next request of its kind: as many of each were made, every fault fired.
        Assert.True(_cluster.CountRequests(Produce) >= 3 && _cluster.CountRequests(Fetch) >= 2 && _cluster.CountRequests(OffsetCommit) >= 2);
        Assert.Equal(await EmbeddedDumpAsync("2000-01-01", "2000-12-31"), WithoutProvenance(CliRunner.Dump(db)));
    }

    [Fact]
    public async Task Duplicate_batches_from_delayed_produce_responses_change_nothing_downstream()
    {
        const short Produce = 0;
        foreach (var broker in new[] { 1, 2, 3 })
            _cluster.DelayNextResponse(broker, Produce, TimeSpan.FromSeconds(2.5));
        var db = _directory.File("duplicates.db");

        // A 1 s socket timeout makes the producers retry batches the brokers answer only after 2.5 s.
        using var run = FinNetProcess.Start("run", "--kafka", Kafka, "--kafka-config", "socket.timeout.ms=1000",
            "--from", "2024-01-01", "--to", "2024-03-31", "--store", "sqlite:" + db, "--reports", _directory.File("r"));
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, run.Error);
        var prices = ReadAll("StockExchange").Where(m => m.Key is not ("SE1" or "SE2")).ToList();
        var distinct = prices.Select(m => Encoding.UTF8.GetString(m.Value)).Distinct().Count();
        TestContext.Current.TestOutputHelper?.WriteLine($"the price topic held {prices.Count - distinct} duplicate prices");
        Assert.True(prices.Count > distinct, "the delayed responses injected no duplicate"); // the fault fired
        Assert.Equal(24 * 63, distinct); // Q1 2024: 65 weekdays less 1 Jan and 25 Mar
        Assert.Equal(await EmbeddedDumpAsync("2024-01-01", "2024-03-31"), WithoutProvenance(CliRunner.Dump(db)));
    }

    private List<Message<string, byte[]>> ReadAll(string topic) => KafkaTopicReader.ReadAll(Kafka, topic);

    public void Dispose()
    {
        _cluster.Dispose();
        _directory.Dispose();
    }

    /// <summary>Several service processes, stopped together.</summary>
    private sealed class ProcessGroup(IEnumerable<string> ids, Func<string, FinNetProcess> start) : IDisposable
    {
        private readonly List<FinNetProcess> _processes = ids.Select(start).ToList();

        public IReadOnlyList<FinNetProcess> All => _processes;

        public FinNetProcess this[int index] => _processes[index];

        public async Task TerminateAllAsync()
        {
            foreach (var process in _processes)
                process.Terminate();
            await Task.WhenAll(_processes.Select(p => p.WaitForExitAsync()));
        }

        public void Dispose()
        {
            foreach (var process in _processes)
                process.Dispose();
        }
    }
}
