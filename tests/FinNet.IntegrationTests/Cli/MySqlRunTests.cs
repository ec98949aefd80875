using System.Globalization;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;
using MySqlConnector;

namespace FinNet.Tests.IntegrationTests.Cli;

/// <summary>
/// <c>finnet run</c> and <c>finnet db init</c> against a real MariaDB server: the same rows and reports as SQLite,
/// idempotent reruns, concurrent recorders, a killed run, a server that crashes mid-run, and no password in sight.
/// </summary>
public sealed class MySqlRunTests(SharedMariaDb shared) : IDisposable
{
    private const string From = "2000-01-01";
    private const string To = "2000-12-31";
    private const int FullNavRows = 6 * 255; // six portfolios x 255 trading days of 2000 (see InterruptedRunTests)
    private readonly MariaDbServer _server = shared.Server;
    private readonly TempDirectory _directory = new();

    private static List<string> Dump(MariaDbServer server, string database) => CliRunner.Dump(sql => server.Query(database, sql));

    private static long CountNavs(MariaDbServer server, string database)
    {
        try
        {
            return long.Parse(server.Query(database, "SELECT COUNT(*) FROM PortfolioNavs")[0][0]!, CultureInfo.InvariantCulture);
        }
        catch (MySqlException)
        {
            return 0; // the database or its schema is not there yet
        }
    }

    /// <summary>The dump of an uninterrupted run of <paramref name="from"/>..<paramref name="to"/> into SQLite: what every MySQL run must equal.</summary>
    private async Task<List<string>> SqliteDumpAsync(string from, string to, string reports)
    {
        var db = _directory.File(Guid.NewGuid().ToString("N") + ".db");
        var result = await CliRunner.InvokeAsync("run", "--from", from, "--to", to, "--store", "sqlite:" + db, "--reports", reports);
        Assert.Equal(0, result.ExitCode);
        return CliRunner.Dump(db);
    }

    /// <summary>A run paced at 10 ms a trading day (~2.6 s for 2000), waited on until it has recorded some NAVs.</summary>
    private async Task<FinNetProcess> StartPacedRunAsync(MariaDbServer server, string database)
    {
        var process = FinNetProcess.Start("run", "--from", From, "--to", To, "--day-interval", "10ms",
            "--store", server.Uri(database), "--reports", _directory.File("paced-" + Guid.NewGuid().ToString("N")));
        await process.WaitUntilAsync(() => CountNavs(server, database) >= 60, "it recorded 60 NAVs");
        return process;
    }

    [Fact]
    public async Task A_run_into_MySQL_records_row_for_row_what_SQLite_records_writes_the_same_reports_and_reruns_unchanged()
    {
        var database = MariaDbServer.NewDatabaseName();
        var expected = await SqliteDumpAsync("2024-01-01", "2024-04-30", _directory.File("sqlite-reports"));

        var run = await CliRunner.InvokeAsync("run", "--from", "2024-01-01", "--to", "2024-04-30", "--store", _server.Uri(database), "--reports", _directory.File("mysql-reports"));
        var first = Dump(_server, database);
        var rerun = await CliRunner.InvokeAsync("run", "--from", "2024-01-01", "--to", "2024-04-30", "--store", _server.Uri(database), "--reports", _directory.File("mysql-reports"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, rerun.ExitCode);
        // 24 stocks and 6 portfolios over the 85 trading days of Jan-Apr 2024 (87 weekdays less 1 Jan and 25 Mar),
        // plus reference data (3 investors, 6 portfolios, 6 links) and provenance (3 rows).
        Assert.Equal(3 + 6 + 6 + (24 * 85) + (6 * 85) + 3, first.Count);
        Assert.Equal(expected, first);
        Assert.Equal(first, Dump(_server, database));
        var sqliteReports = Directory.GetFiles(_directory.File("sqlite-reports")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal((6 * 3) + 1, sqliteReports.Count); // text, JSON and HTML per portfolio, and index.html
        Assert.Equal(sqliteReports, Directory.GetFiles(_directory.File("mysql-reports")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
        foreach (var name in sqliteReports)
            Assert.Equal(File.ReadAllText(_directory.File("sqlite-reports/" + name)), File.ReadAllText(_directory.File("mysql-reports/" + name)));
    }

    [Fact]
    public async Task Db_init_creates_the_database_schema_and_reference_data_and_changes_nothing_when_run_again()
    {
        var database = MariaDbServer.NewDatabaseName();

        var first = await CliRunner.InvokeAsync("db", "init", "--store", _server.Uri(database));
        var afterFirst = Dump(_server, database);
        var second = await CliRunner.InvokeAsync("db", "init", "--store", _server.Uri(database));

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(
            $"mysql://finnet@127.0.0.1:{_server.Port}/{database}: schema ready; 3 investors, 6 portfolios, series Inv1_P11, Inv1_P12, Inv2_P21, Inv2_P22, Inv3_P31, Inv3_P32\n",
            second.Output);
        Assert.Equal(
            [
                ["FinNetProvenance", "BASE TABLE"], ["Inv1_P11", "VIEW"], ["Inv1_P12", "VIEW"], ["Inv2_P21", "VIEW"], ["Inv2_P22", "VIEW"],
                ["Inv3_P31", "VIEW"], ["Inv3_P32", "VIEW"], ["Investors", "BASE TABLE"], ["Investors_Portfolios", "BASE TABLE"],
                ["PortfolioNavs", "BASE TABLE"], ["Portfolios", "BASE TABLE"], ["StockPrices", "BASE TABLE"],
            ],
            _server.Query("information_schema", $"SELECT TABLE_NAME, TABLE_TYPE FROM TABLES WHERE TABLE_SCHEMA = '{database}' ORDER BY TABLE_NAME"));
        Assert.Equal(3 + 6 + 6 + 1, afterFirst.Count); // investors, portfolios, links, and the network's claim
        Assert.Equal(afterFirst, Dump(_server, database));
    }

    [Fact]
    public async Task A_killed_run_run_again_equals_an_uninterrupted_run()
    {
        var database = MariaDbServer.NewDatabaseName();
        using (var process = await StartPacedRunAsync(_server, database))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        var atKill = CountNavs(_server, database);

        var rerun = await CliRunner.InvokeAsync("run", "--from", From, "--to", To, "--store", _server.Uri(database), "--reports", _directory.File("r"));

        Assert.InRange(atKill, 60, FullNavRows - 1);
        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(await SqliteDumpAsync(From, To, _directory.File("r2")), Dump(_server, database));
    }

    [Fact]
    public async Task A_second_run_started_while_the_first_records_duplicates_nothing()
    {
        var database = MariaDbServer.NewDatabaseName();
        using var first = await StartPacedRunAsync(_server, database);
        using var second = FinNetProcess.Start("run", "--from", From, "--to", To, "--day-interval", "5ms",
            "--store", _server.Uri(database), "--reports", _directory.File("second"));

        var exits = await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync());

        Assert.True(exits is [0, 0], $"exits {exits[0]} and {exits[1]}:\n{first.Error}\n{second.Error}");
        Assert.Equal(await SqliteDumpAsync(From, To, _directory.File("r2")), Dump(_server, database));
    }

    [Fact]
    public async Task A_server_that_crashes_mid_run_is_retried_and_the_run_completes_with_nothing_lost_or_doubled()
    {
        await using var server = await MariaDbServer.StartAsync();
        var database = MariaDbServer.NewDatabaseName();
        using var process = await StartPacedRunAsync(server, database);
        var atCrash = CountNavs(server, database);

        // Restart only once the run has hit the outage and said it is retrying: the fault demonstrably fired.
        await server.CrashAndRestartAsync(() => process.WaitUntilAsync(() => process.Error.Contains("retrying", StringComparison.Ordinal), "it retried"));
        var exit = await process.WaitForExitAsync();

        Assert.True(exit == 0, process.Error);
        Assert.InRange(atCrash, 60, FullNavRows - 1);
        Assert.Contains("could not write a batch", process.Error, StringComparison.Ordinal);
        Assert.Equal(await SqliteDumpAsync(From, To, _directory.File("r2")), Dump(server, database));
    }

    [Fact]
    public async Task The_password_appears_nowhere_in_output_logs_or_errors()
    {
        var database = MariaDbServer.NewDatabaseName();
        var wrong = $"mysql://{MariaDbServer.User}:Wrong-Secret-731@127.0.0.1:{_server.Port}/{database}";

        var refused = await CliRunner.InvokeAsync("--log-level", "trace", "run", "--from", "2024-01-02", "--to", "2024-01-05", "--store", wrong, "--reports", _directory.File("r"));
        var unknown = await CliRunner.InvokeAsync("run", "--store", wrong.Replace("mysql:", "mysqlx:", StringComparison.Ordinal));
        var ok = await CliRunner.InvokeAsync("--log-level", "trace", "run", "--from", "2024-01-02", "--to", "2024-01-05", "--store", _server.Uri(database), "--reports", _directory.File("r"));

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"finnet: error: store mysql://finnet@127.0.0.1:{_server.Port}/{database}: Access denied for user 'finnet'@'127.0.0.1' (using password: YES)\n", refused.Error);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal(0, ok.ExitCode);
        foreach (var text in new[] { refused.Output, refused.Error, unknown.Output, unknown.Error, ok.Output, ok.Error })
        {
            Assert.DoesNotContain("Wrong-Secret-731", text, StringComparison.Ordinal);
            Assert.DoesNotContain(MariaDbServer.Password, text, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _directory.Dispose();
}
