using System.Globalization;
using System.Text.Json.Nodes;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;
using FinNet.Storage.Sqlite;
using Json.Schema;

namespace FinNet.Tests.Cli;

/// <summary>
/// <c>finnet report</c> on its own: chosen portfolios and formats, a benchmark, a sub-range analysed as its own
/// series, undefined figures as null, a data error named for its portfolio, and every JSON report valid against
/// the schema in the repository (report.schema.json, no undeclared keys).
/// </summary>
public sealed class ReportCommandTests : IAsyncLifetime
{
    private static readonly InvestmentNetwork Network = NetworkFile.LoadDefault();
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Analyst", "report.schema.json")));
    private readonly TempDirectory _directory = new();

    private string Db => _directory.File("finnet.db");

    public async ValueTask InitializeAsync()
    {
        var run = await CliRunner.InvokeAsync("run", "--from", "2024-01-01", "--to", "2024-12-31", "--store", "sqlite:" + Db, "--reports", _directory.File("run"));
        Assert.Equal(0, run.ExitCode);
    }

    private static JsonNode Valid(string path)
    {
        var json = JsonNode.Parse(File.ReadAllBytes(path))!;
        var result = Schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{path}: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}"))));
        return json;
    }

    [Fact]
    public void Every_report_of_a_run_is_valid_against_the_schema()
    {
        foreach (var portfolio in Network.Portfolios)
        {
            var json = Valid(_directory.File($"run/{portfolio.Key}_stats.json"));
            Assert.Equal("market", json["benchmark"]!["name"]!.GetValue<string>());
            Assert.Equal(254, json["metrics"]!["returns"]!.GetValue<int>()); // 255 trading days in 2024: 262 weekdays less 7 holidays
        }
    }

    [Fact]
    public async Task Named_portfolios_in_chosen_formats_with_a_portfolio_as_benchmark_and_a_sub_range()
    {
        var reports = _directory.File("some");

        var result = await CliRunner.InvokeAsync("report", "Inv1_P11", "Inv3_P32", "--store", "sqlite:" + Db, "--reports", reports,
            "--format", "json,text", "--benchmark", "Inv2_P21", "--rf", "0.03", "--from", "2024-07-01", "--to", "2024-09-30");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Inv1_P11_stats.json", "Inv1_P11_stats.txt", "Inv3_P32_stats.json", "Inv3_P32_stats.txt"], Directory.GetFiles(reports).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains($"Reports: {reports} (4 files)\nFormats: text and JSON (as asked)\n", result.Output, StringComparison.Ordinal);
        var json = Valid(Path.Combine(reports, "Inv1_P11_stats.json"));
        var stored = SqliteQueryNavs("Inv1_P11", "2024-07-01", "2024-09-30");
        Assert.Equal(stored.Count, json["days"]!.GetValue<int>());
        Assert.Equal(stored[0].AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), json["first_date"]!.GetValue<string>());
        // The sub-range is its own series: its total return is last over first NAV of the range.
        Assert.Equal((double)(stored[^1].NavPerShare / stored[0].NavPerShare) - 1, json["metrics"]!["total_return"]!.GetValue<double>(), 1e-12);
        Assert.Equal(0.03, json["risk_free_rate"]!.GetValue<double>());
        Assert.Equal("Inv2_P21", json["benchmark"]!["name"]!.GetValue<string>());
        Assert.Equal(stored.Count - 1, json["benchmark"]!["returns"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_one_day_range_without_benchmark_reports_nulls_not_zeros()
    {
        var reports = _directory.File("one");

        var result = await CliRunner.InvokeAsync("report", "Inv1_P12", "--store", "sqlite:" + Db, "--reports", reports, "--format", "json,text",
            "--benchmark", "none", "--from", "2024-12-31", "--to", "2024-12-31");

        Assert.Equal(0, result.ExitCode);
        var json = Valid(Path.Combine(reports, "Inv1_P12_stats.json"));
        var metrics = json["metrics"]!;
        Assert.Equal(0, metrics["returns"]!.GetValue<int>());
        foreach (var name in new[] { "total_return", "cagr", "annual_volatility", "sharpe", "sortino", "calmar", "var_95", "win_rate", "probabilistic_sharpe" })
            Assert.Null(metrics[name]);
        Assert.Null(json["benchmark"]);
        Assert.Null(json["daily_change"]); // the first row of a range has no change
        Assert.Contains("   Sharpe ratio          n/a", File.ReadAllText(Path.Combine(reports, "Inv1_P12_stats.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_positive_nav_is_reported_as_a_data_error_for_that_portfolio_only()
    {
        var db = _directory.File("bad.db");
        await using (var store = SqliteStore.Open(db))
        {
            await store.CreateSchemaAsync(CancellationToken.None);
            await store.WriteReferenceDataAsync(Network, CancellationToken.None);
            await store.WriteAsync(new RecordBatch([], [
                new NavUpdate("Inv1", "P11", new DateOnly(2024, 1, 2), 0, 1, 100m, null, null),
                new NavUpdate("Inv1", "P11", new DateOnly(2024, 1, 3), 0, 1, 0m, -100m, -100m),
                new NavUpdate("Inv1", "P12", new DateOnly(2024, 1, 2), 0, 1, 100m, null, null),
                new NavUpdate("Inv1", "P12", new DateOnly(2024, 1, 3), 0, 1, 101m, 1m, 1m)]), CancellationToken.None);
        }

        var result = await CliRunner.InvokeAsync("report", "Inv1_P11", "Inv1_P12", "--store", "sqlite:" + db, "--reports", _directory.File("bad"), "--benchmark", "none");

        Assert.Equal(0, result.ExitCode);
        var bad = Valid(_directory.File("bad/Inv1_P11_stats.json"));
        Assert.Equal("NAV per share 0.000000 on 2024-01-03 is not positive", bad["data_error"]!.GetValue<string>());
        Assert.Null(bad["metrics"]);
        Assert.Equal(0.01, Valid(_directory.File("bad/Inv1_P12_stats.json"))["metrics"]!["total_return"]!.GetValue<double>(), 1e-12);
    }

    [Theory]
    [InlineData("--benchmark", "SE9", "finnet: error: --benchmark: 'SE9' is not market, none, an exchange (SE1, SE2) or a portfolio (Inv1_P11, Inv1_P12, Inv2_P21, Inv2_P22, Inv3_P31, Inv3_P32)")]
    [InlineData("--format", "pdf", "finnet: error: --format: unknown format 'pdf' (auto, or choose from text, json, html, index, comma-separated)")]
    [InlineData("--rf", "2%", "finnet: error: --rf: '2%' is not an annual rate as a fraction, e.g. 0.02 for 2 % (see 'finnet report --help')")]
    [InlineData("Inv9_P99", null, "finnet: error: no portfolio 'Inv9_P99' in the network (it has Inv1_P11, Inv1_P12, Inv2_P21, Inv2_P22, Inv3_P31, Inv3_P32)")]
    public async Task Bad_report_options_are_one_line_errors(string option, string? value, string error)
    {
        string[] args = value is null ? ["report", option] : ["report", option, value];

        var result = await CliRunner.InvokeAsync([.. args, "--store", "sqlite:" + Db, "--reports", _directory.File("x")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(error + "\n", result.Error);
    }

    [Fact]
    public async Task A_store_that_does_not_exist_is_not_created_by_report()
    {
        var result = await CliRunner.InvokeAsync("report", "--store", "sqlite:" + _directory.File("none.db"));

        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(_directory.File("none.db")));
    }

    private List<NavPoint> SqliteQueryNavs(string key, string from, string to) =>
        Storage.SqliteQuery.Rows(Db, $"SELECT AsOf, NAVperShare FROM {key} WHERE AsOf BETWEEN '{from}' AND '{to}' ORDER BY AsOf")
            .Select(r => new NavPoint(DateOnly.Parse(r[0]!, CultureInfo.InvariantCulture), decimal.Parse(r[1]!, CultureInfo.InvariantCulture), null, null)).ToList();

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
