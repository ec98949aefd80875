using System.Text.Json;
using System.Text.RegularExpressions;
using FinNet.Analyst;
using FinNet.Network;

namespace FinNet.Tests.Analyst;

/// <summary>The metric list is declared once: the schema, the JSON, the text and the HTML all follow it.</summary>
public partial class MetricCatalogTests
{
    private static readonly JsonElement Schema =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Analyst", "report.schema.json"))).RootElement;

    private static readonly PortfolioReport WorkedExample = PortfolioReport.Create(
        new Investor("Inv1", "Alpha", "New York", []),
        new Portfolio("Inv1", "P11", "Growth", true, 100m, [new Holding("IBM", 1m)]),
        [
            new(new DateOnly(2023, 12, 28), 100m, null, null),
            new(new DateOnly(2023, 12, 29), 104m, 4m, 4m),
            new(new DateOnly(2024, 1, 2), 102m, -2m, -1.923077m),
            new(new DateOnly(2024, 1, 3), 104m, 2m, 1.960784m),
            new(new DateOnly(2024, 1, 4), 106m, 2m, 1.923077m),
        ],
        new AnalystOptions("reports", DatePeriod.DefaultStatisticsPeriod, ReportFormats.All, BenchmarkSeries.None, 0),
        null);

    private static JsonElement MetricsSchema => Schema.GetProperty("properties").GetProperty("metrics").GetProperty("anyOf")[0];

    [Fact]
    public void The_schema_declares_exactly_the_catalog_metrics_in_order_and_requires_them_all()
    {
        Assert.Equal(MetricCatalog.Keys, MetricsSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(MetricCatalog.Keys, MetricsSchema.GetProperty("required").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public void The_json_report_writes_every_catalog_metric_in_order()
    {
        using var json = JsonDocument.Parse(JsonReport.Render(WorkedExample));

        var metrics = json.RootElement.GetProperty("metrics");

        Assert.Equal(MetricCatalog.Keys, metrics.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.06, metrics.GetProperty("total_return").GetDouble(), 12); // 106 / 100 - 1, by hand
        Assert.Equal(-2.0 / 104, metrics.GetProperty("max_drawdown").GetProperty("depth").GetDouble(), 12);
    }

    [Fact]
    public void The_text_report_has_one_line_per_catalog_text_entry_in_order()
    {
        var text = TextReport.Render(WorkedExample);

        var section = text[text.IndexOf("6. Risk and return metrics", StringComparison.Ordinal)..text.IndexOf("7. Versus", StringComparison.Ordinal)];
        var labels = section.Split('\n').Skip(1).Where(l => l.StartsWith("   ", StringComparison.Ordinal)).Select(l => l[3..25].TrimEnd());
        Assert.Equal(MetricCatalog.All.Where(m => m.Text is not null).Select(m => m.Text!.Label), labels);
    }

    [Fact]
    public void The_html_metrics_table_has_one_row_per_catalog_html_entry_in_order()
    {
        var html = HtmlReport.Render(WorkedExample);

        var table = html[html.IndexOf("<table class=\"metrics\">", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        var paths = DataMetric().Matches(table).Select(m => m.Groups[1].Value);
        Assert.Equal(MetricCatalog.All.Where(m => m.Html is not null).Select(m => "metrics." + m.Html!.Path), paths);
    }

    [GeneratedRegex("data-metric=\"([^\"]+)\"")]
    private static partial Regex DataMetric();
}
