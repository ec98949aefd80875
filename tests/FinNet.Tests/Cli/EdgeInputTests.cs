using System.Diagnostics;
using FinNet.Network;

namespace FinNet.Tests.Cli;

/// <summary>
/// Input that used to get past validation and fail later, after the store was touched, or succeed silently:
/// each is now one line naming what is wrong, exit 2, and no store written (issue "trust nothing at the edges").
/// </summary>
public sealed class EdgeInputTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Db => _directory.File("finnet.db");

    private Task<CliRunner.Result> RunAsync(params string[] more) =>
        CliRunner.InvokeAsync(["run", "--from", "2024-01-01", "--to", "2024-01-31", "--store", "sqlite:" + Db, "--reports", _directory.File("reports"), .. more]);

    /// <summary>The default network file with one text replaced, written to a file of its own.</summary>
    private string NetworkWith(string find, string replace)
    {
        using var stream = typeof(NetworkFile).Assembly.GetManifestResourceStream("FinNet.network.default.json")!;
        var text = new StreamReader(stream).ReadToEnd();
        Assert.Contains(find, text, StringComparison.Ordinal);
        var file = _directory.File($"network-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, text.Replace(find, replace, StringComparison.Ordinal));
        return file;
    }

    /// <summary>Exit 2, exactly <paramref name="error"/> on one line, no .NET type name, and no store file.</summary>
    private void AssertRefused(CliRunner.Result result, string error)
    {
        Assert.Equal((2, $"finnet: error: {error}\n"), (result.ExitCode, result.Error));
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Db), "nothing may be written for bad input");
    }

    [Theory]
    [InlineData("{ \"ticker\": \"IBM\", \"price\": 256.90 }", "{ \"ticker\": \"IBM\", \"price\": 1e15 }", "exchanges[0].stocks[0].price: reference price 1000000000000000 is not below 100000000000000, the stores' limit")]
    [InlineData("{ \"ticker\": \"IBM\", \"price\": 256.90 }", "{ \"ticker\": \"IBM\" }", "exchanges[0].stocks[0].price: missing")]
    [InlineData("{ \"ticker\": \"IBM\", \"price\": 256.90 }", "{ \"ticker\": \"IBM\", \"price\": \"cheap\" }", "not a valid network file: exchanges[0].stocks[0].price: expected a number")]
    [InlineData("\"shares\": 12200,", "", "investors[0].portfolios[0].shares: missing")]
    [InlineData("\"IBM\": 1300,", "\"IBM\": 79228162514264337593543950335,", "investors[0].portfolios[0].holdings.IBM: quantity 79228162514264337593543950335 is not below 100000000000000, the stores' limit")]
    [InlineData("\"IBM\": 1300,", "\"IBM\": 1300, \"IBM\": 99,", "not a valid network file: investors[0].portfolios[0].holdings.IBM: duplicate key")]
    [InlineData("\"shares\": 12200,", "\"shares\": 12200, \"colour\": \"red\",", "not a valid network file: investors[0].portfolios[0].colour: unknown field 'colour'")]
    public async Task A_network_file_beyond_what_a_store_holds_or_badly_formed_is_refused_naming_the_field(string find, string replace, string problem)
    {
        var network = NetworkWith(find, replace);

        var result = await RunAsync("--network", network);

        AssertRefused(result, $"{network}: {problem}");
    }

    [Fact]
    public async Task A_name_longer_than_a_store_holds_is_refused()
    {
        var network = NetworkWith("\"Alpha Investments\"", $"\"{new string('A', 256)}\"");

        AssertRefused(await RunAsync("--network", network), $"{network}: investors[0].name: 256 characters, more than the 255 a store holds");
    }

    [Fact]
    public async Task A_portfolio_worth_more_than_a_store_holds_is_refused()
    {
        // 1,300 IBM at 256.90 and 2,200 AAPL at 9e10: 1.98e14 at reference prices.
        var network = NetworkWith("{ \"ticker\": \"AAPL\", \"price\": 227.48 }", "{ \"ticker\": \"AAPL\", \"price\": 90000000000 }");

        AssertRefused(await RunAsync("--network", network),
            $"{network}: investors[0].portfolios[0].holdings.AAPL: the portfolio's value at reference prices reaches 198000000333970, not below 100000000000000, the stores' limit");
    }

    [Theory]
    [InlineData("file")]
    [InlineData("under-a-file")]
    [InlineData("empty")]
    [InlineData("unwritable")]
    public async Task Reports_that_cannot_be_written_are_refused_before_anything_is_recorded(string kind)
    {
        var file = _directory.File("a-file");
        File.WriteAllText(file, "x");
        var (reports, error) = kind switch
        {
            "file" => (file, $"--reports {file}: is a file, not a folder"),
            "under-a-file" => (Path.Combine(file, "reports"), null),
            "empty" => ("", "--reports: empty; name a folder, e.g. --reports reports"),
            _ => ("/proc/finnet-reports", null), // not even root may create a folder there
        };

        var result = await CliRunner.InvokeAsync("run", "--from", "2024-01-01", "--to", "2024-01-31", "--store", "sqlite:" + Db, "--reports", reports);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"finnet: error: {error ?? $"--reports {reports}: cannot write there ("}", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task A_store_that_is_not_a_database_is_one_line()
    {
        File.WriteAllText(Db, "this is not a SQLite database, it only has its name");

        var result = await RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"finnet: error: --store sqlite:{Db}: cannot ", result.Error, StringComparison.Ordinal);
        Assert.Contains("not a database", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_read_only_store_is_one_line_and_stays_as_it_was()
    {
        Assert.Equal(0, (await RunAsync()).ExitCode);
        var before = CliRunner.Dump(Db);
        // Immutable: even root cannot write it (file modes do not stop root, this attribute does).
        Chattr("+i", Db);
        try
        {
            var result = await CliRunner.InvokeAsync("run", "--from", "2024-01-01", "--to", "2024-02-29", "--store", "sqlite:" + Db, "--reports", _directory.File("reports"));

            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith($"finnet: error: --store sqlite:{Db}: cannot ", result.Error, StringComparison.Ordinal);
            Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            Chattr("-i", Db);
        }
        Assert.Equal(before, CliRunner.Dump(Db));
    }

    private static void Chattr(string change, string file)
    {
        using var chattr = Process.Start(new ProcessStartInfo("chattr", [change, file]) { RedirectStandardError = true })!;
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {change} {file}: {chattr.StandardError.ReadToEnd()}");
    }

    [Fact]
    public async Task Db_init_with_another_network_over_a_store_is_refused_and_changes_nothing()
    {
        Assert.Equal(0, (await CliRunner.InvokeAsync("db", "init", "--store", "sqlite:" + Db)).ExitCode);
        var before = CliRunner.Dump(Db);
        var other = NetworkWith("\"Alpha Investments\"", "\"Alpha Renamed\"");

        var result = await CliRunner.InvokeAsync("db", "init", "--store", "sqlite:" + Db, "--network", other);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"finnet: error: store sqlite:{Db} holds data produced with a different network (sha256 ", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, CliRunner.Dump(Db));
        // The store's own network still runs into it.
        Assert.Equal(0, (await RunAsync()).ExitCode);
    }

    [Fact]
    public async Task Dates_past_2199_and_ranges_without_a_trading_day_are_refused_but_a_complete_store_reruns()
    {
        AssertRefused(await CliRunner.InvokeAsync("run", "--from", "9999-12-20", "--store", "sqlite:" + Db),
            "--from: 9999-12-20 is after 2199-12-31, the last date FinNet handles (see 'finnet run --help')");
        // New Year's Day 2024 and the weekend after 6 January: no exchange trades.
        AssertRefused(await CliRunner.InvokeAsync("run", "--from", "2024-01-06", "--to", "2024-01-07", "--store", "sqlite:" + Db), "no trading days between 2024-01-06 and 2024-01-07");

        Assert.Equal(0, (await RunAsync()).ExitCode);
        var again = await RunAsync();
        Assert.Equal((0, ""), (again.ExitCode, again.Error)); // nothing left to publish is not an error
    }

    [Fact]
    public async Task A_run_past_today_says_so_once()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var to = today.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var result = await CliRunner.InvokeAsync("run", "--from", today.AddDays(-10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "--to", to,
            "--store", "sqlite:" + Db, "--reports", _directory.File("reports"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"finnet: warning: --to {to} is after today ({today:yyyy-MM-dd}); the days after today get simulated future prices\n", result.Error);
    }

    [Fact]
    public async Task An_in_memory_sqlite_store_is_refused()
    {
        var result = await CliRunner.InvokeAsync("run", "--to", "2000-01-31", "--store", "sqlite::memory:", "--reports", _directory.File("reports"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("finnet: error: --store: an in-memory SQLite database vanishes with the process", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(":memory:"));
    }

    [Fact]
    public async Task An_unknown_command_lists_the_commands_and_help_lists_the_exit_codes()
    {
        var result = await CliRunner.InvokeAsync("bogus");
        var help = await CliRunner.InvokeAsync("exchange", "--help");

        Assert.Equal((2, "finnet: error: unknown command 'bogus' (commands: run, exchange, investor, recorder, report, serve, db, network, dev-kafka; see 'finnet --help')\n"), (result.ExitCode, result.Error));
        Assert.Contains("Exit codes: 0 success; 1 failure at run time", help.Output, StringComparison.Ordinal);
        Assert.Contains("130 interrupted", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zero_partitions_fail_at_once()
    {
        var clock = Stopwatch.StartNew();
        var result = await CliRunner.InvokeAsync("exchange", "SE1", "--kafka", "127.0.0.1:1", "--partitions", "0");

        Assert.Equal((2, "finnet: error: --partitions: must be at least 1, got 0 (see 'finnet exchange --help')\n"), (result.ExitCode, result.Error));
        TestContext.Current.TestOutputHelper?.WriteLine($"refused after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task An_unknown_group_protocol_is_one_line_naming_the_choices()
    {
        var result = await CliRunner.InvokeAsync("recorder", "--kafka", "127.0.0.1:1", "--group-protocol", "eager", "--store", "sqlite:" + Db);

        Assert.Equal((2, "finnet: error: --group-protocol: 'eager' is not one of auto, classic, consumer (see 'finnet recorder --help')\n"), (result.ExitCode, result.Error));
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task An_unreachable_kafka_is_one_line_within_the_timeout_and_no_store_is_created()
    {
        var result = await CliRunner.InvokeAsync("recorder", "--kafka", "127.0.0.1:1", "--kafka-timeout", "1s", "--store", "sqlite:" + Db);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("finnet: failed: Kafka at 127.0.0.1:1: no broker answered within 1 s (", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n')); // no flood of library lines
        Assert.False(File.Exists(Db));
    }

    public void Dispose() => _directory.Dispose();
}
