using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinNet.Network;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.IntegrationTests.Analyst;

/// <summary>
/// The HTML reports opened in a real browser (headless chromium, network off): every chart rendered, non-empty,
/// with its title; nothing fetched; every figure on the pages equal to the JSON report's. One portfolio page is
/// kept as a screenshot under artifacts/screenshots/ for a person to look at.
/// </summary>
public sealed class HtmlReportTests : IAsyncLifetime
{
    private static readonly InvestmentNetwork Network = NetworkFile.LoadDefault();
    private static readonly string[] ExpectedCharts = ["nav", "drawdown", "monthly", "rolling-volatility", "return-distribution"];

    /// <summary>What the page tells about itself, gathered in the browser after the load event.</summary>
    private const string Inspect = """
        JSON.stringify({
          title: document.title,
          charts: [...document.querySelectorAll('figure.chart')].map(f => {
            const svg = f.querySelector('svg');
            const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
            return { id: f.dataset.chart, caption: f.querySelector('figcaption').textContent, drawnText: svg ? svg.textContent : '',
                     width: box.width, height: box.height, shapes: svg ? svg.querySelectorAll('path, rect, image, polygon, polyline, line').length : 0 };
          }),
          figures: [...document.querySelectorAll('[data-metric]')].map(e => ({
            portfolio: e.closest('[data-portfolio]')?.dataset.portfolio ?? null, metric: e.dataset.metric, value: e.dataset.value,
            percent: e.dataset.unit === 'percent', text: e.textContent.trim() })),
          fetched: performance.getEntriesByType('resource').map(r => r.name),
          external: document.querySelectorAll('script[src], link[href], img[src], iframe, object, embed').length,
        })
        """;

    private readonly TempDirectory _directory = new();
    private HeadlessChromium? _browser;

    private string Reports => _directory.File("reports");

    public async ValueTask InitializeAsync()
    {
        var run = await CliRunner.InvokeAsync("run", "--from", "2023-01-01", "--to", "2024-12-31", "--store", "sqlite:" + _directory.File("x.db"), "--reports", Reports);
        Assert.Equal(0, run.ExitCode);
        _browser = await HeadlessChromium.StartAsync();
    }

    private async Task<JsonNode> InspectAsync(string page)
    {
        var session = await _browser!.OpenAsync(Path.Combine(Reports, page));
        return JsonNode.Parse((await _browser.EvaluateAsync(session, Inspect))!.GetValue<string>())!;
    }

    private JsonNode JsonReport(string key) => JsonNode.Parse(File.ReadAllBytes(Path.Combine(Reports, $"{key}_stats.json")))!;

    [Fact]
    public async Task Every_portfolio_page_renders_its_five_charts_with_titles_offline()
    {
        foreach (var portfolio in Network.Portfolios)
        {
            var page = await InspectAsync($"{portfolio.Key}.html");

            Assert.Contains(portfolio.Name, page["title"]!.GetValue<string>(), StringComparison.Ordinal);
            var charts = page["charts"]!.AsArray();
            Assert.Equal(ExpectedCharts, charts.Select(c => c!["id"]!.GetValue<string>()));
            foreach (var chart in charts)
            {
                var caption = chart!["caption"]!.GetValue<string>();
                Assert.Contains(caption, chart["drawnText"]!.GetValue<string>(), StringComparison.Ordinal); // the title is drawn in the chart
                Assert.True(chart["width"]!.GetValue<double>() > 300 && chart["height"]!.GetValue<double>() > 200, $"{portfolio.Key} {caption}: {chart["width"]} x {chart["height"]}");
                Assert.True(chart["shapes"]!.GetValue<int>() > 10, $"{portfolio.Key} {caption}: only {chart["shapes"]} shapes");
            }
            Assert.Contains("Date", charts[0]!["drawnText"]!.GetValue<string>(), StringComparison.Ordinal); // axis labels are there too
            Assert.Empty(page["fetched"]!.AsArray());
            Assert.Equal(0, page["external"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Every_figure_on_the_pages_equals_the_json_report()
    {
        var compared = 0;
        foreach (var portfolio in Network.Portfolios)
        {
            var json = JsonReport(portfolio.Key);
            var figures = (await InspectAsync($"{portfolio.Key}.html"))["figures"]!.AsArray();

            Assert.True(figures.Count > 50, $"{portfolio.Key}: only {figures.Count} figures");
            foreach (var figure in figures)
                compared += Compare(portfolio.Key, json, figure!);
            // Spot checks that the comparison reaches the metrics that matter.
            Assert.Contains(figures, f => f!["metric"]!.GetValue<string>() == "metrics.sharpe");
            Assert.Contains(figures, f => f!["metric"]!.GetValue<string>() == "benchmark.beta");
            Assert.Contains(figures, f => f!["metric"]!.GetValue<string>() == "metrics.monthly_returns.1.months.11");
        }

        var index = (await InspectAsync("index.html"))["figures"]!.AsArray();
        Assert.Equal(Network.Portfolios.Select(p => p.Key), index.Select(f => f!["portfolio"]!.GetValue<string>()).Distinct());
        foreach (var figure in index)
            compared += Compare(figure!["portfolio"]!.GetValue<string>(), JsonReport(figure["portfolio"]!.GetValue<string>()), figure);
        Assert.True(compared > 400);
    }

    [Fact]
    public async Task A_screenshot_of_a_portfolio_page_is_kept_for_people()
    {
        var session = await _browser!.OpenAsync(Path.Combine(Reports, "Inv1_P11.html"));
        var png = await _browser.ScreenshotAsync(session);

        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "FinNet.slnx")))
            root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        var folder = Directory.CreateDirectory(Path.Combine(root, "artifacts", "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "Inv1_P11.png"), png, TestContext.Current.CancellationToken);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length > 100_000, $"a {png.Length}-byte screenshot is too small to show the page");
    }

    /// <summary>One page figure against the JSON value at its path: the same number, and the text shows it rounded.</summary>
    private static int Compare(string key, JsonNode report, JsonNode figure)
    {
        var path = figure["metric"]!.GetValue<string>();
        var value = figure["value"]?.GetValue<string>();
        var text = figure["text"]!.GetValue<string>();
        var node = FinNet.Tests.Analyst.ReportTolerance.At(report, path);
        if (node is null)
        {
            Assert.True(value == "null" && text.StartsWith("n/a", StringComparison.Ordinal), $"{key} {path}: JSON null, page '{value}' '{text}'");
            return 1;
        }
        var expected = node.GetValue<JsonElement>().GetDecimal();
        Assert.True(value is not null && decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) == expected, $"{key} {path}: JSON {expected}, page data-value {value}");
        var percent = figure["percent"]!.GetValue<bool>();
        var shown = decimal.Parse(text.TrimEnd('%', ' ').Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
        var places = text.TrimEnd('%', ' ').Split('.') is [_, var fraction] ? fraction.Length : 0;
        var scaled = percent ? expected * 100 : expected;
        Assert.True(Math.Abs(shown - scaled) <= (0.5m * (decimal)Math.Pow(10, -places)) + 1e-12m, $"{key} {path}: JSON {expected}, page shows '{text}'");
        return 1;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _directory.Dispose();
    }
}
