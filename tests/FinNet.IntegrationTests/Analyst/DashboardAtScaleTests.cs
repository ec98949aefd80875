using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.Dashboard;

/// <summary>
/// The live dashboard's table with 10,000 portfolios in a real browser, served by a real <c>finnet serve</c>: 100
/// rows a page, sorted by a click on a header, filtered as one types, paged forward; the expected orders are worked
/// out here from <c>/api/portfolios</c>.
/// </summary>
public sealed class DashboardAtScaleTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private HeadlessChromium? _browser;

    public async ValueTask InitializeAsync()
    {
        var network = _directory.File("network.json");
        Assert.Equal(0, (await CliRunner.InvokeAsync("network", "generate", "--stocks", "200", "--investors", "1000", "--portfolios", "10000", "--holdings", "5", "--out", network)).ExitCode);
        // Nine trading days (2-12 January 2024, weekdays) of 10,000 portfolios; only index.html is written (the figures are the dashboard's).
        Assert.Equal(0, (await CliRunner.InvokeAsync("run", "--network", network, "--from", "2024-01-02", "--to", "2024-01-12",
            "--store", "sqlite:" + _directory.File("scale.db"), "--reports", _directory.File("reports"), "--format", "index")).ExitCode);
        _browser = await HeadlessChromium.StartAsync(loopback: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _directory.Dispose();
    }

    private const string State = """
        JSON.stringify({ rows: document.querySelectorAll('#portfolios tbody tr').length, shown: document.getElementById('shown').textContent,
          first: document.querySelector('#portfolios tbody tr')?.dataset.portfolio ?? null })
        """;

    [Fact]
    public async Task Ten_thousand_portfolios_page_sort_and_filter_in_the_browser()
    {
        using var serve = FinNetProcess.Start("serve", "--network", _directory.File("network.json"), "--store", "sqlite:" + _directory.File("scale.db"), "--listen", "http://127.0.0.1:0");
        var url = (await serve.FirstOutputLineAsync())["serving on ".Length..];
        using var http = new HttpClient();
        var lines = new JsonArray();
        await serve.WaitUntilAsync(() =>
        {
            lines = JsonNode.Parse(http.GetStringAsync(url + "/api/portfolios").GetAwaiter().GetResult())!.AsArray();
            return lines.All(l => l!["days"]!.GetValue<int>() == 9);
        }, "every portfolio's 9 days on the dashboard");
        Assert.Equal(10_000, lines.Count);

        var clock = Stopwatch.StartNew();
        var session = await _browser!.OpenUrlAsync(url + "/");
        await _browser.WaitUntilAsync(session, "document.querySelectorAll('#portfolios tbody tr').length === 100", "the first page of the table");
        var loaded = clock.ElapsedMilliseconds;
        async Task<JsonNode> Do(string script) => JsonNode.Parse((await _browser.EvaluateAsync(session, $"{script};{State}"))!.GetValue<string>())!;

        var start = await Do("0");
        Assert.Equal((100, "1-100 of 10,000", "Inv1_P1"), (start["rows"]!.GetValue<int>(), start["shown"]!.GetValue<string>(), start["first"]!.GetValue<string>()));

        // Total return, descending (two clicks on its header); ties keep the network's order.
        var keys = lines.Select(l => l!["portfolio"]!.GetValue<string>()).ToList();
        var ranked = lines.Select((l, i) => (Key: keys[i], Total: l!["total_return"]!.GetValue<double>(), Index: i))
            .OrderByDescending(r => r.Total).ThenBy(r => r.Index).Select(r => r.Key).ToList();
        await Do("document.querySelector('th[data-key=total_return]').click()");
        var descending = await Do("document.querySelector('th[data-key=total_return]').click()");
        Assert.Equal(ranked[0], descending["first"]!.GetValue<string>());
        var second = await Do("document.getElementById('next').click()");
        Assert.Equal((ranked[100], "101-200 of 10,000"), (second["first"]!.GetValue<string>(), second["shown"]!.GetValue<string>()));

        // Filtering keeps the sort: every portfolio whose key, name or investor holds "p999", any case.
        var matching = ranked.Where(key =>
        {
            var line = lines[keys.IndexOf(key)]!;
            return $"{key} {line["name"]} {line["investor"]}".Contains("p999", StringComparison.OrdinalIgnoreCase);
        }).ToList();
        var filtered = await Do("const f = document.getElementById('filter'); f.value = 'P999'; f.dispatchEvent(new Event('input'))");
        Assert.Equal((Math.Min(100, matching.Count), $"1-{Math.Min(100, matching.Count)} of {matching.Count}", matching[0]),
            (filtered["rows"]!.GetValue<int>(), filtered["shown"]!.GetValue<string>(), filtered["first"]!.GetValue<string>()));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"10,000-portfolio dashboard: first page in {loaded} ms; sorted, paged and filtered by {clock.ElapsedMilliseconds} ms"));
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync());
    }
}
