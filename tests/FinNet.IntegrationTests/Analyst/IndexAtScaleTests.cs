using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FinNet.Analyst;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.IntegrationTests.Analyst;

/// <summary>
/// index.html with 10,000 portfolios in a real browser: 100 rows a page, sorted by a click on a header (numbers by
/// their exact value), filtered as one types, paged forward, and self-contained (nothing fetched).
/// </summary>
public sealed class IndexAtScaleTests : IAsyncLifetime
{
    private const int Portfolios = 10_000;
    private readonly TempDirectory _directory = new();
    private readonly List<PortfolioSummary> _summaries = [];
    private HeadlessChromium? _browser;

    public async ValueTask InitializeAsync()
    {
        var random = new Random(12);
        for (var i = 1; i <= Portfolios; i++)
        {
            var total = Math.Round((random.NextDouble() * 3) - 0.8, 6);
            _summaries.Add(new PortfolioSummary($"Inv{((i - 1) / 10) + 1}_P{i}", $"Portfolio {i}", $"Investor {((i - 1) / 10) + 1}", 1_000,
                new DateOnly(2020, 1, 2), new DateOnly(2023, 12, 29), 100m, i % 997 == 0 ? null : total, 0.05, 0.2, 0.5, 0.7, -0.3, 1.0, null, []));
        }
        var options = new AnalystOptions(_directory.Path, DatePeriod.DefaultStatisticsPeriod, ReportFormats.Index);
        await File.WriteAllTextAsync(_directory.File("index.html"), HtmlReport.RenderIndex(_summaries, options, null), TestContext.Current.CancellationToken);
        _browser = await HeadlessChromium.StartAsync();
    }

    private const string State = """
        JSON.stringify({ rows: document.querySelectorAll('table.index tbody tr').length, shown: document.getElementById('shown').textContent,
          first: document.querySelector('table.index tbody tr')?.dataset.portfolio ?? null,
          fetched: performance.getEntriesByType('resource').length })
        """;

    [Fact]
    public async Task Ten_thousand_rows_page_sort_and_filter_in_the_browser()
    {
        var clock = Stopwatch.StartNew();
        var session = await _browser!.OpenAsync(_directory.File("index.html"));
        var loaded = clock.ElapsedMilliseconds;
        async Task<JsonNode> Do(string script) => JsonNode.Parse((await _browser.EvaluateAsync(session, $"{script};{State}"))!.GetValue<string>())!;

        var start = await Do("0");
        Assert.Equal((100, "1-100 of 10000", "Inv1_P1", 0), (start["rows"]!.GetValue<int>(), start["shown"]!.GetValue<string>(), start["first"]!.GetValue<string>(), start["fetched"]!.GetValue<int>()));

        // Total return is the 7th column: a click sorts ascending, a second descending; portfolios without one come last.
        var ranked = _summaries.Where(s => s.TotalReturn is not null).OrderByDescending(s => s.TotalReturn).ThenBy(s => _summaries.IndexOf(s)).ToList();
        await Do("document.querySelectorAll('table.index th')[6].click()");
        var descending = await Do("document.querySelectorAll('table.index th')[6].click()");
        Assert.Equal(ranked[0].Key, descending["first"]!.GetValue<string>());
        var second = await Do("document.getElementById('next').click()");
        Assert.Equal((ranked[100].Key, "101-200 of 10000"), (second["first"]!.GetValue<string>(), second["shown"]!.GetValue<string>()));

        // Filtering keeps the sort: every portfolio whose key or name holds "p999".
        var matching = ranked.Where(s => s.Key.Contains("P999", StringComparison.Ordinal)).ToList();
        var filtered = await Do("const f = document.getElementById('filter'); f.value = 'P999'; f.dispatchEvent(new Event('input'))");
        Assert.Equal(
            (Math.Min(100, matching.Count), $"1-{Math.Min(100, matching.Count)} of {matching.Count} (filtered from 10000)", matching[0].Key),
            (filtered["rows"]!.GetValue<int>(), filtered["shown"]!.GetValue<string>(), filtered["first"]!.GetValue<string>()));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"10,000-row index loaded in {loaded} ms; all steps {clock.ElapsedMilliseconds} ms"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _directory.Dispose();
    }
}
