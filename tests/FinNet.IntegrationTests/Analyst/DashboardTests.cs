using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using FinNet.Tests.Analyst;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.Dashboard;

/// <summary>
/// The live dashboard end to end, every part real: <c>finnet run --serve</c> and <c>finnet serve</c> as processes,
/// Debian's chromium on their pages (offline: anything fetched from elsewhere would fail), an HTTP client on the
/// API and the event stream. During a paced run the page's figures move; after it, every figure on the pages equals
/// the JSON reports the run wrote; a name with markup is shown as text.
/// </summary>
public sealed class DashboardTests : IAsyncLifetime
{
    /// <summary>The default network, its first portfolio renamed with markup that would run if it were treated as HTML.</summary>
    private const string MarkupName = "Alpha <img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script> & Co";

    private readonly TempDirectory _directory = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(1) };
    private HeadlessChromium? _browser;

    public async ValueTask InitializeAsync()
    {
        var network = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "FinNet", "Network", "network.default.json"), TestContext.Current.CancellationToken))!;
        network["investors"]![0]!["portfolios"]![0]!["name"] = MarkupName;
        await File.WriteAllTextAsync(_directory.File("network.json"), network.ToJsonString(), TestContext.Current.CancellationToken);
        _browser = await HeadlessChromium.StartAsync(loopback: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _http.Dispose();
        _directory.Dispose();
    }

    private static string RepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "FinNet.slnx")))
            root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        return root;
    }

    private static async Task<string> ServingUrlAsync(FinNetProcess process)
    {
        var first = await process.FirstOutputLineAsync();
        Assert.StartsWith("serving on http://127.0.0.1:", first, StringComparison.Ordinal);
        return first["serving on ".Length..];
    }

    private async Task<JsonNode> GetJsonAsync(string url) => JsonNode.Parse(await _http.GetStringAsync(url, TestContext.Current.CancellationToken))!;

    /// <summary>Every figure the page shows (its data-metric cells), with the portfolio of its row.</summary>
    private const string Figures = """
        JSON.stringify([...document.querySelectorAll('[data-metric]')].map(e => ({
          portfolio: e.closest('[data-portfolio]')?.dataset.portfolio ?? null, metric: e.dataset.metric, value: e.dataset.value })))
        """;

    [Fact]
    public async Task A_paced_run_serves_a_live_dashboard_whose_figures_equal_the_reports_after_it()
    {
        var reports = _directory.File("reports");
        using var run = FinNetProcess.Start("run", "--network", _directory.File("network.json"), "--from", "2024-01-01", "--to", "2024-06-30",
            "--day-interval", "40ms", "--serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + _directory.File("live.db"), "--reports", reports);
        var url = await ServingUrlAsync(run);
        var index = await _browser!.OpenUrlAsync(url + "/");

        // Live: the simulated date on the page moves on while the run runs (two different dates seen, before its end).
        await _browser.WaitUntilAsync(index, "document.getElementById('date').textContent.startsWith('2024-')", "a first simulated date on the page");
        var firstDate = (await _browser.EvaluateAsync(index, "document.getElementById('date').textContent"))!.GetValue<string>();
        await _browser.WaitUntilAsync(index, $"document.getElementById('date').textContent > '{firstDate}'", $"the page's date to move on from {firstDate}");
        Assert.True(string.CompareOrdinal(firstDate, "2024-06-28") < 0, $"the first date seen, {firstDate}, is the run's last: nothing was live");

        await run.WaitUntilAsync(() => run.Output.Contains("still serving on", StringComparison.Ordinal), "the run's end");
        Assert.Contains("Recorded 3,048 prices and 762 NAVs", run.Output, StringComparison.Ordinal); // 127 trading days, 24 stocks, 6 portfolios

        // After the run: the table shows every portfolio through the last day, each figure equal to the reports.
        await _browser.WaitUntilAsync(index, "[...document.querySelectorAll('#portfolios tbody tr td:nth-child(10)')].filter(td => td.textContent === '2024-06-28').length === 6", "every row at the last day");
        var compared = 0;
        foreach (var figure in JsonNode.Parse((await _browser.EvaluateAsync(index, Figures))!.GetValue<string>())!.AsArray())
            compared += CompareWithReport(reports, figure!);
        Assert.Equal(6 * 5, compared); // total return, CAGR, volatility, Sharpe, max drawdown

        // A name with markup is shown as the text it is, and nothing in it ran.
        Assert.Equal(MarkupName, (await _browser.EvaluateAsync(index, "document.querySelector('tr[data-portfolio=Inv1_P11] a').textContent"))!.GetValue<string>());
        Assert.Null(await _browser.EvaluateAsync(index, "window.__pwned ?? null"));
        Assert.Equal(0, (await _browser.EvaluateAsync(index, "document.querySelectorAll('tbody img, tbody script').length"))!.GetValue<int>());
        await _browser.WaitUntilAsync(index, "document.querySelectorAll('#compare canvas').length > 0", "the comparison chart");

        // A portfolio's page: its charts drawn and titled, every figure equal to its report.
        var page = await _browser.OpenUrlAsync(url + "/portfolios/Inv1_P11");
        await _browser.WaitUntilAsync(page, "document.querySelectorAll('.uplot').length === 4 && document.querySelectorAll('#metrics td[data-metric]').length > 20", "the portfolio page's four charts and metrics");
        var charts = JsonNode.Parse((await _browser.EvaluateAsync(page, """
            JSON.stringify([...document.querySelectorAll('.uplot')].map(u => ({ title: u.querySelector('.u-title')?.textContent ?? '',
              width: u.querySelector('canvas').width, height: u.querySelector('canvas').height })))
            """))!.GetValue<string>())!.AsArray();
        var titles = charts.Select(c => c!["title"]!.GetValue<string>()).ToList();
        Assert.Equal(["NAV per share against the benchmark, rebased to 100", "Underwater: % below the previous high", "Rolling volatility (126 days, annualised %)"], titles[..3]);
        Assert.StartsWith("Daily returns (%): 126 days; VaR 95 % -", titles[3], StringComparison.Ordinal);
        Assert.All(charts, c => Assert.True(c!["width"]!.GetValue<int>() > 300 && c["height"]!.GetValue<int>() > 200, c!.ToJsonString()));
        Assert.Contains(MarkupName, (await _browser.EvaluateAsync(page, "document.getElementById('title').textContent"))!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await _browser.EvaluateAsync(page, "window.__pwned ?? null"));
        var pageFigures = JsonNode.Parse((await _browser.EvaluateAsync(page, Figures))!.GetValue<string>())!.AsArray();
        var report = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(reports, "Inv1_P11_stats.json"), TestContext.Current.CancellationToken))!;
        foreach (var figure in pageFigures.Where(f => f!["metric"]!.GetValue<string>() != "last_nav_per_share"))
            AssertFigure(report, figure!, "Inv1_P11");
        Assert.True(pageFigures.Count > 30, $"only {pageFigures.Count} figures on the portfolio page");

        // Self-contained: everything the pages loaded came from FinNet itself.
        var fetched = (await _browser.EvaluateAsync(page, "performance.getEntriesByType('resource').map(r => r.name)"))!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.NotEmpty(fetched);
        Assert.All(fetched, name => Assert.StartsWith(url + "/", name, StringComparison.Ordinal));

        var screenshots = Directory.CreateDirectory(Path.Combine(RepositoryRoot(), "artifacts", "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(screenshots.FullName, "dashboard-index.png"), await _browser.ScreenshotAsync(index), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(screenshots.FullName, "dashboard-Inv1_P11.png"), await _browser.ScreenshotAsync(page), TestContext.Current.CancellationToken);

        run.Terminate();
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    [Fact]
    public async Task A_run_with_the_dashboard_interrupted_mid_run_exits_130_and_one_that_cannot_start_exits_at_once()
    {
        using var run = FinNetProcess.Start("run", "--from", "2024-01-01", "--to", "2024-12-31", "--day-interval", "50ms", "--serve", "--listen", "http://127.0.0.1:0",
            "--store", "sqlite:" + _directory.File("interrupted.db"), "--reports", _directory.File("interrupted"));
        var url = await ServingUrlAsync(run);
        await run.WaitUntilAsync(() => Status(url)["navs_received"]!.GetValue<long>() > 0, "the dashboard's first NAVs");
        run.Terminate();
        Assert.Equal(130, await run.WaitForExitAsync());

        var failed = await CliRunner.InvokeAsync("run", "--serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + _directory.Path, "--reports", _directory.File("failed"));
        Assert.Equal(2, failed.ExitCode);
        Assert.StartsWith("finnet: error: --store sqlite:", failed.Error, StringComparison.Ordinal);
        var listen = await CliRunner.InvokeAsync("serve", "--listen", "ftp://127.0.0.1:21");
        Assert.Equal((2, "finnet: error: --listen: 'ftp://127.0.0.1:21' is not an address to serve on; write http://HOST:PORT, e.g. http://127.0.0.1:8080 (port 0 picks a free one)\n"), (listen.ExitCode, listen.Error));
    }

    /// <summary>A table cell against the report (fractions as the JSON writes them); returns 1 per figure compared.</summary>
    private static int CompareWithReport(string reports, JsonNode figure)
    {
        var key = figure["portfolio"]!.GetValue<string>();
        var metric = figure["metric"]!.GetValue<string>();
        if (metric is "last_nav_per_share" or "change_percent")
            return 0; // not in the report document (the last row as stored)
        AssertFigure(JsonNode.Parse(File.ReadAllBytes(Path.Combine(reports, $"{key}_stats.json")))!, figure, key);
        return 1;
    }

    private static void AssertFigure(JsonNode report, JsonNode figure, string key)
    {
        // data-value holds the figure as JSON writes it (a number, true/false, null) or, for a date or a name, its text.
        var path = figure["metric"]!.GetValue<string>();
        var expected = ReportTolerance.At(report, path);
        var shown = figure["value"]!.GetValue<string>();
        var actual = expected?.GetValueKind() == System.Text.Json.JsonValueKind.String ? JsonValue.Create(shown) : JsonNode.Parse(shown);
        ReportTolerance.AssertEqual(expected, actual, $"{key} {path}");
    }

    [Fact]
    public async Task Serve_follows_a_store_another_process_records_into_restarts_mid_stream_with_the_same_figures_and_replays_events()
    {
        var db = "sqlite:" + _directory.File("followed.db");
        var network = _directory.File("network.json");
        var first = await CliRunner.InvokeAsync("run", "--network", network, "--from", "2024-01-01", "--to", "2024-02-29", "--store", db, "--reports", _directory.File("first"), "--format", "json");
        Assert.Equal(0, first.ExitCode);

        using var serve = FinNetProcess.Start("serve", "--network", network, "--store", db, "--listen", "http://127.0.0.1:0");
        var url = await ServingUrlAsync(serve);
        await serve.WaitUntilAsync(() => Status(url)["navs_received"]!.GetValue<long>() == 6 * 43, "the stored history (43 trading days, Jan-Feb 2024)", () => Status(url).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(url + "/healthz", TestContext.Current.CancellationToken)).StatusCode);

        // Another process records more while serve runs: serve follows the store. A second serve is killed while the
        // NAVs arrive and started again.
        using var other = FinNetProcess.Start("serve", "--network", network, "--store", db, "--listen", "http://127.0.0.1:0");
        var otherUrl = await ServingUrlAsync(other);
        await other.WaitUntilAsync(() => Status(otherUrl)["navs_received"]!.GetValue<long>() == 6 * 43, "the second serve's history");
        var reports = _directory.File("reports");
        using var second = FinNetProcess.Start("run", "--network", network, "--from", "2024-01-01", "--to", "2024-04-30", "--day-interval", "30ms", "--store", db, "--reports", reports, "--format", "json");
        await other.WaitUntilAsync(() => Status(otherUrl)["navs_received"]!.GetValue<long>() > 6 * 43, "the first NAVs of the second run on the second serve");
        var seenWhenKilled = Status(otherUrl)["navs_received"]!.GetValue<long>();
        other.Kill();
        Assert.True(seenWhenKilled < 6 * 85, $"the second serve had {seenWhenKilled} NAVs when killed: the run was already over");
        using var restarted = FinNetProcess.Start("serve", "--network", network, "--store", db, "--listen", "http://127.0.0.1:0");
        var restartedUrl = await ServingUrlAsync(restarted);
        Assert.Equal(0, await second.WaitForExitAsync());
        await serve.WaitUntilAsync(() => Status(url)["navs_received"]!.GetValue<long>() == 6 * 85, "the NAVs the second run recorded (42 more days, Mar-Apr)", () => Status(url).ToJsonString());
        await restarted.WaitUntilAsync(() => Status(restartedUrl)["navs_received"]!.GetValue<long>() == 6 * 85, "every NAV on the restarted serve");

        var documents = new Dictionary<string, string>();
        foreach (var key in new[] { "Inv1_P11", "Inv2_P21", "Inv3_P32" })
        {
            documents[key] = await _http.GetStringAsync($"{url}/api/portfolios/{key}", TestContext.Current.CancellationToken);
            ReportTolerance.AssertEqual(JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(reports, $"{key}_stats.json"), TestContext.Current.CancellationToken)), JsonNode.Parse(documents[key]), key);
            Assert.Equal(documents[key], await _http.GetStringAsync($"{restartedUrl}/api/portfolios/{key}", TestContext.Current.CancellationToken));
        }
        var lines = (await GetJsonAsync(url + "/api/portfolios")).AsArray();
        Assert.Equal(6, lines.Count);
        Assert.Equal(MarkupName, lines[0]!["name"]!.GetValue<string>());
        Assert.Equal("2024-04-30", lines[0]!["last_date"]!.GetValue<string>());
        Assert.Equal(85, lines[0]!["days"]!.GetValue<int>());
        var unknown = await _http.GetAsync(url + "/api/portfolios/Inv9_P99", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("no portfolio 'Inv9_P99' in the network (see /api/portfolios)", JsonNode.Parse(await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["error"]!.GetValue<string>());

        // The event stream (the second run's NAVs: the history serve loaded first is in the API, not the stream): from
        // the start, then again after event 2, then from an id it never held (start over).
        var fromStart = await EventsAsync(url, "0", 3);
        Assert.Equal(["1", "2", "3"], fromStart.Select(e => e.EventId));
        Assert.All(fromStart, e => Assert.Equal("nav", e.EventType));
        var navs = JsonNode.Parse(fromStart[0].Data)!.AsArray();
        Assert.InRange(navs.Count, 1, 100);
        Assert.StartsWith("2024-03-", navs[0]!["date"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["portfolio", "date", "nav_per_share", "change", "change_percent"], navs[1]!.AsObject().Select(p => p.Key));
        var resumed = await EventsAsync(url, "2", 1);
        Assert.Equal(("3", fromStart[2].Data), (resumed[0].EventId, resumed[0].Data));
        var reset = await EventsAsync(url, "99999999", 1);
        Assert.Equal("reset", reset[0].EventType);

        var metrics = await _http.GetStringAsync(url + "/metrics", TestContext.Current.CancellationToken);
        Assert.Contains($"finnet_navs_received_total {6 * 85}", metrics, StringComparison.Ordinal);
        Assert.Contains("finnet_sse_clients ", metrics, StringComparison.Ordinal);
        Assert.Contains("finnet_navs_per_second ", metrics, StringComparison.Ordinal);

        // A restarted serve shows the same figures.
        serve.Kill();
        using var again = FinNetProcess.Start("serve", "--network", network, "--store", db, "--listen", "http://127.0.0.1:0");
        var url2 = await ServingUrlAsync(again);
        await again.WaitUntilAsync(() => Status(url2)["navs_received"]!.GetValue<long>() == 6 * 85, "the history again");
        foreach (var (key, document) in documents)
            Assert.Equal(document, await _http.GetStringAsync($"{url2}/api/portfolios/{key}", TestContext.Current.CancellationToken));
        again.Terminate();
        Assert.Equal(0, await again.WaitForExitAsync());
    }

    private JsonNode Status(string url) => GetJsonAsync(url + "/api/status").GetAwaiter().GetResult();

    /// <summary>The first <paramref name="count"/> events of <c>/api/events</c> for a client that last saw <paramref name="lastEventId"/>.</summary>
    private async Task<List<SseItem<string>>> EventsAsync(string url, string lastEventId, int count)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url + "/api/events");
        request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(TestContext.Current.CancellationToken))
        {
            events.Add(item);
            if (events.Count == count)
                break;
        }
        return events;
    }
}
