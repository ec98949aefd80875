using System.Text.Json.Nodes;
using FinNet.Network;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.IntegrationTests.Analyst;

/// <summary>
/// The report pages laid out in a real browser, for a range inside one calendar year and a portfolio with a
/// long name: every month of the heatmap drawn, every text inside its chart, date tick labels each shown once,
/// legends off the data, and index.html without horizontal overflow on a 1,280 px screen.
/// </summary>
public sealed class ReportLayoutTests : IAsyncLifetime
{
    private const string LongName = "Alpha Technology Growth and Income Opportunities Fund, Accumulating Share Class";
    private readonly TempDirectory _directory = new();
    private HeadlessChromium? _browser;

    private string Reports => _directory.File("reports");

    /// <summary>Per chart: its texts with their boxes, the box of the chart, and how many month cells it fills.</summary>
    private const string Layout = """
        JSON.stringify([...document.querySelectorAll('figure.chart')].map(f => {
          const svg = f.querySelector('svg'), box = svg.getBoundingClientRect();
          const texts = [...svg.querySelectorAll('text')].map(t => { const r = t.getBoundingClientRect();
            return { text: t.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom }; });
          const cells = [...svg.querySelectorAll('rect[fill]')].filter(r => !['white', 'none'].includes(r.getAttribute('fill'))).length;
          return { id: f.dataset.chart, left: box.left, right: box.right, top: box.top, bottom: box.bottom, texts, cells };
        }))
        """;

    public async ValueTask InitializeAsync()
    {
        var network = _directory.File("network.json");
        using (var stream = typeof(NetworkFile).Assembly.GetManifestResourceStream("FinNet.network.default.json")!)
            File.WriteAllText(network, new StreamReader(stream).ReadToEnd().Replace("\"Alpha Tech Growth\"", $"\"{LongName}\"", StringComparison.Ordinal));
        var run = await CliRunner.InvokeAsync("run", "--network", network, "--from", "2024-03-01", "--to", "2024-04-30", "--store", "sqlite:" + _directory.File("x.db"), "--reports", Reports);
        Assert.Equal(0, run.ExitCode);
        _browser = await HeadlessChromium.StartAsync();
    }

    private async Task<JsonArray> ChartsAsync(string page)
    {
        var session = await _browser!.OpenAsync(Path.Combine(Reports, page));
        return JsonNode.Parse((await _browser.EvaluateAsync(session, Layout))!.GetValue<string>())!.AsArray();
    }

    [Fact]
    public async Task Every_text_lies_inside_its_chart_date_ticks_are_unique_legends_leave_the_data_and_every_month_is_drawn()
    {
        foreach (var page in new[] { "Inv1_P11.html", "Inv2_P21.html" })
        {
            var charts = await ChartsAsync(page);
            // Two months are shorter than the rolling-volatility window: four charts.
            Assert.Equal(["nav", "drawdown", "monthly", "return-distribution"], charts.Select(c => c!["id"]!.GetValue<string>()));
            foreach (var chart in charts.Select(c => c!))
            {
                var id = chart["id"]!.GetValue<string>();
                double Edge(JsonNode node, string side) => node[side]!.GetValue<double>();
                var texts = chart["texts"]!.AsArray().Select(t => t!).ToList();
                Assert.True(texts.Count > 5, $"{page} {id}: {texts.Count} texts");
                foreach (var text in texts)
                {
                    var inside = Edge(text, "left") >= Edge(chart, "left") - 0.5 && Edge(text, "right") <= Edge(chart, "right") + 0.5
                        && Edge(text, "top") >= Edge(chart, "top") - 0.5 && Edge(text, "bottom") <= Edge(chart, "bottom") + 0.5;
                    Assert.True(inside, $"{page} {id}: '{text["text"]}' at {text.ToJsonString()} leaves the chart {chart["left"]}..{chart["right"]} x {chart["top"]}..{chart["bottom"]}");
                }
                if (id is "nav" or "drawdown" or "rolling-volatility")
                {
                    var labels = texts.Select(t => t["text"]!.GetValue<string>()).Where(t => t.StartsWith("2024-", StringComparison.Ordinal)).ToList();
                    Assert.True(labels.Count >= 4, $"{page} {id}: date ticks {string.Join(' ', labels)}");
                    Assert.Equal(labels.Count, labels.Distinct().Count());
                }
                if (id == "nav")
                {
                    // The legend sits below the x axis's title: nothing of it over the lines.
                    var axisTitle = texts.Single(t => t["text"]!.GetValue<string>() == "Date");
                    var legend = texts.Where(t => t["text"]!.GetValue<string>().StartsWith("benchmark:", StringComparison.Ordinal)
                        || t["text"]!.GetValue<string>().StartsWith(page[..^5], StringComparison.Ordinal)).ToList();
                    Assert.Equal(2, legend.Count);
                    Assert.All(legend, l => Assert.True(Edge(l, "top") >= Edge(axisTitle, "bottom"), $"{page}: legend '{l["text"]}' over the plot"));
                }
                if (id == "monthly")
                    Assert.Equal(2, chart["cells"]!.GetValue<int>()); // March and April 2024
            }
        }
    }

    [Fact]
    public async Task The_index_fits_a_1280_pixel_screen_and_long_names_are_cut_with_the_whole_name_on_hover()
    {
        var session = await _browser!.OpenAsync(Path.Combine(Reports, "index.html"));
        await _browser.SetViewportAsync(session, 1280, 800);

        var page = JsonNode.Parse((await _browser.EvaluateAsync(session, """
            JSON.stringify({ overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              names: [...document.querySelectorAll('td .name')].map(n => ({ title: n.title, cut: n.scrollWidth > n.clientWidth })) })
            """))!.GetValue<string>())!;

        Assert.Equal(0, page["overflow"]!.GetValue<double>());
        var longName = Assert.Single(page["names"]!.AsArray(), n => n!["title"]!.GetValue<string>() == LongName)!;
        Assert.True(longName["cut"]!.GetValue<bool>());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _directory.Dispose();
    }
}
