using System.Globalization;
using System.Net;
using System.Text;

namespace FinNet.Analyst;

/// <summary>
/// Writes <c>Inv1_P11.html</c>, one self-contained page per portfolio (inline CSS and SVG charts: it opens offline
/// from a file and fetches nothing), and <c>index.html</c> comparing every portfolio's headline metrics.
/// </summary>
/// <remarks>
/// Every figure on a page carries <c>data-metric</c> (its path in the JSON report, e.g. <c>metrics.sharpe</c>) and
/// <c>data-value</c> (the JSON number at full precision), and <c>data-unit="percent"</c> where the text shows the
/// fraction as a percent, so a page can be checked against its JSON report.
/// </remarks>
public static class HtmlReport
{
    public const string IndexFileName = "index.html";

    public static string FileName(PortfolioReport report) => $"{report.Portfolio.Key}.html";

    private const string Style = """
        :root { --ink: #1d2430; --muted: #5b6572; --line: #dde2e8; --gain: #1e7a46; --loss: #b03a2e; --accent: #1f5fa8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 "DejaVu Sans", system-ui, sans-serif; color: var(--ink); background: #f6f7f9; }
        header, main, footer { max-width: 1040px; margin: 0 auto; padding: 0 20px; }
        /* The index is a wide table: as wide as a 1,280 px screen allows, and scrolling within its own box beyond. */
        header.wide, main.wide, footer.wide { max-width: 1280px; }
        .scroll { overflow-x: auto; max-width: 100%; }
        /* Long names are cut with an ellipsis; the whole name is the element's title, shown on hover. */
        .name { display: inline-block; max-width: 18em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: bottom; }
        h1 { overflow-wrap: anywhere; }
        table.index th { white-space: normal; }
        table.index td, table.index th { padding: 5px 6px; font-size: 14px; }
        table.index .name { max-width: 14em; }
        table.index th { cursor: pointer; user-select: none; }
        table.index th[aria-sort="ascending"]::after { content: " \25B2"; font-size: 0.7em; }
        table.index th[aria-sort="descending"]::after { content: " \25BC"; font-size: 0.7em; }
        .controls { display: flex; gap: 10px; align-items: center; margin: 10px 0; }
        .controls input { flex: 1; max-width: 360px; padding: 5px 8px; font: inherit; }
        .controls button { font: inherit; padding: 4px 10px; }
        header { padding-top: 24px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h1 .key, td .key { color: var(--muted); font-weight: normal; font-size: 0.8em; }
        h2 { font-size: 19px; margin: 28px 0 10px; }
        p.meta { color: var(--muted); margin: 0 0 8px; }
        a { color: var(--accent); }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 16px 0; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .card .value { font-size: 22px; font-weight: 600; }
        figure.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 14px 0; padding: 10px; }
        /* The chart draws its own title; the caption is there for screen readers and outlines. */
        figure.chart figcaption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        figure.chart { position: relative; }
        figure.chart svg { display: block; width: 100%; height: auto; }
        table { border-collapse: collapse; background: #fff; width: 100%; font-variant-numeric: tabular-nums; }
        th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        td.note { color: var(--muted); text-align: left; white-space: normal; }
        .gain { color: var(--gain); } .loss { color: var(--loss); }
        table.months td, table.months th { padding: 4px 6px; font-size: 13px; }
        footer { color: var(--muted); font-size: 13px; padding: 24px 20px 40px; }
        """;

    public static string Render(PortfolioReport report)
    {
        var (portfolio, investor, m, c) = (report.Portfolio, report.Investor, report.Metrics, report.Comparison);
        var html = new StringBuilder(512 * 1024);
        Open(html, $"{portfolio.Name} ({portfolio.Key}): FinNet report");
        html.Append("<header><p class=\"meta\"><a href=\"index.html\">All portfolios</a></p>")
            .Append($"<h1>{E(portfolio.Name)} <span class=\"key\">{E(portfolio.Key)}</span></h1>")
            .Append($"<p class=\"meta\">Investor {E(investor.Id)}, {E(investor.Name)} ({E(investor.City)}) · ")
            .Append(report.FirstDate is null ? "no NAVs stored" : $"{report.Series.Count:N0} trading days, {report.FirstDate:yyyy-MM-dd} to {report.LastDate:yyyy-MM-dd}")
            .Append($" · benchmark: {E(report.Benchmark?.Description ?? "none")} · risk-free rate {TextReport.Percent(report.Options.RiskFreeRate)} a year</p></header><main>");

        if (m is null)
        {
            html.Append($"<p class=\"loss\" data-metric=\"data_error\">No metrics: {E(report.DataError ?? "no data")}</p>");
        }
        else
        {
            html.Append("<section class=\"cards\">");
            Card(html, "Total return", "metrics.total_return", m.Returns.TotalReturn, MetricKind.Percent);
            Card(html, "CAGR", "metrics.cagr", m.Returns.Cagr, MetricKind.Percent);
            Card(html, "Volatility", "metrics.annual_volatility", m.Risk.Volatility, MetricKind.Percent);
            Card(html, "Sharpe", "metrics.sharpe", m.Risk.Sharpe, MetricKind.Ratio);
            Card(html, "Max drawdown", "metrics.max_drawdown.depth", m.Risk.MaxDrawdown.Depth, MetricKind.Percent);
            Card(html, "VaR 95 % (1 day)", "metrics.var_95", m.Tails.ValueAtRisk95, MetricKind.Percent);
            if (c is not null)
                Card(html, $"Beta vs {c.Benchmark}", "benchmark.beta", c.Beta, MetricKind.Ratio);
            html.Append("</section>");

            foreach (var chart in ReportCharts.Draw(report))
            {
                html.Append($"<figure class=\"chart\" id=\"chart-{chart.Id}\" data-chart=\"{chart.Id}\"><figcaption>{E(chart.Title)}</figcaption>")
                    .Append(chart.Svg)
                    .Append("</figure>");
            }
            MetricsTable(html, report, m, c);
            MonthlyTable(html, m);
        }
        OriginalStatistics(html, report);
        html.Append("</main>");
        Close(html);
        return html.ToString();
    }

    /// <summary>
    /// index.html's only script, FinNet's own and inline (nothing fetched): sorts by any column (a click on its
    /// header; numbers by their exact data-value, n/a last), filters by portfolio, name or investor, and shows 100
    /// rows a page, so 10,000 portfolios stay usable. Without it every row is simply there.
    /// </summary>
    private const string IndexScript = """
        (() => {
          const table = document.querySelector('table.index'), body = table.tBodies[0], headers = [...table.tHead.rows[0].cells];
          const rows = [...body.rows], size = 100;
          const filter = document.getElementById('filter'), shownText = document.getElementById('shown');
          const prev = document.getElementById('prev'), next = document.getElementById('next');
          let shown = rows, page = 0, column = -1, ascending = true;
          const key = (row, c) => {
            const cell = row.cells[c], value = cell.dataset.value;
            if (value !== undefined) { const n = parseFloat(value); return isNaN(n) ? null : n; }
            return cell.textContent.trim().toLowerCase();
          };
          const render = () => {
            const pages = Math.max(1, Math.ceil(shown.length / size));
            page = Math.max(0, Math.min(page, pages - 1));
            body.replaceChildren(...shown.slice(page * size, (page + 1) * size));
            shownText.textContent = `${shown.length ? page * size + 1 : 0}-${Math.min((page + 1) * size, shown.length)} of ${shown.length}`
              + (shown.length < rows.length ? ` (filtered from ${rows.length})` : '');
            prev.disabled = page === 0;
            next.disabled = page >= pages - 1;
          };
          const apply = () => {
            const query = filter.value.trim().toLowerCase();
            shown = query ? rows.filter(r => (r.cells[0].textContent + ' ' + r.cells[1].textContent).toLowerCase().includes(query)) : rows.slice();
            if (column >= 0) {
              // Each row's key read once (not per comparison): 10,000 rows sort in milliseconds.
              const keyed = shown.map(r => [key(r, column), r]);
              keyed.sort(([x], [y]) => {
                if (x === y) return 0;
                if (x === null) return 1;
                if (y === null) return -1;
                return (x < y ? -1 : 1) * (ascending ? 1 : -1);
              });
              shown = keyed.map(([, r]) => r);
            }
            render();
          };
          headers.forEach((header, c) => {
            header.tabIndex = 0;
            header.setAttribute('aria-sort', 'none');
            const sort = () => {
              ascending = column === c ? !ascending : true;
              column = c;
              headers.forEach(h => h.setAttribute('aria-sort', 'none'));
              header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
              page = 0;
              apply();
            };
            header.addEventListener('click', sort);
            header.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
          });
          filter.addEventListener('input', () => { page = 0; apply(); });
          prev.addEventListener('click', () => { page--; render(); });
          next.addEventListener('click', () => { page++; render(); });
          apply();
        })();
        """;

    public static string RenderIndex(IReadOnlyList<PortfolioSummary> summaries, AnalystOptions options, BenchmarkSeries? benchmark)
    {
        var html = new StringBuilder();
        Open(html, "FinNet portfolios");
        html.Append("<header class=\"wide\"><h1>Portfolios</h1>")
            .Append($"<p class=\"meta\">{summaries.Count} portfolios · benchmark: {E(benchmark?.Description ?? "none")} · risk-free rate {TextReport.Percent(options.RiskFreeRate)} a year")
            .Append(options.From is null && options.To is null ? "" : $" · analysed {options.From:yyyy-MM-dd}..{options.To:yyyy-MM-dd}")
            .Append("</p></header><main class=\"wide\"><div class=\"controls\">")
            .Append("<input type=\"search\" id=\"filter\" placeholder=\"Filter by portfolio, name or investor\" aria-label=\"Filter portfolios\">")
            .Append("<button id=\"prev\" type=\"button\">&larr; Previous</button><span id=\"shown\"></span><button id=\"next\" type=\"button\">Next &rarr;</button></div>")
            .Append("<div class=\"scroll\"><table class=\"index\"><thead><tr><th>Portfolio</th><th>Investor</th><th>Days</th><th>First</th><th>Last</th>")
            .Append("<th>Final NAV/share</th><th>Total return</th><th>CAGR</th><th>Volatility</th><th>Sharpe</th><th>Sortino</th><th>Max drawdown</th><th>Beta</th></tr></thead><tbody>");
        foreach (var s in summaries)
        {
            var name = $"<span class=\"name\" title=\"{E(s.Name)}\">{E(s.Name)}</span>";
            var link = s.Files.Any(f => f.EndsWith(".html", StringComparison.Ordinal)) ? $"<a href=\"{E(s.Key)}.html\">{name}</a>" : name;
            html.Append($"<tr data-portfolio=\"{E(s.Key)}\"><td>{link} <span class=\"key\">{E(s.Key)}</span></td><td><span class=\"name\" title=\"{E(s.InvestorName)}\">{E(s.InvestorName)}</span></td>")
                .Append($"<td data-metric=\"days\" data-value=\"{s.Days}\">{s.Days:N0}</td><td>{s.FirstDate:yyyy-MM-dd}</td><td>{s.LastDate:yyyy-MM-dd}</td>")
                .Append($"<td>{s.FinalNavPerShare?.ToString("0.000000", CultureInfo.InvariantCulture) ?? "n/a"}</td>");
            Cell(html, "metrics.total_return", s.TotalReturn, MetricKind.Percent);
            Cell(html, "metrics.cagr", s.Cagr, MetricKind.Percent);
            Cell(html, "metrics.annual_volatility", s.Volatility, MetricKind.Percent);
            Cell(html, "metrics.sharpe", s.Sharpe, MetricKind.Ratio);
            Cell(html, "metrics.sortino", s.Sortino, MetricKind.Ratio);
            Cell(html, "metrics.max_drawdown.depth", s.MaxDrawdown, MetricKind.Percent);
            Cell(html, "benchmark.beta", s.Beta, MetricKind.Ratio);
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div></main><script>").Append(IndexScript).Append("</script>");
        Close(html, wide: true);
        return html.ToString();
    }

    private static void MetricsTable(StringBuilder html, PortfolioReport report, PerformanceMetrics m, BenchmarkComparison? c)
    {
        html.Append("<h2>Risk and return metrics</h2><table class=\"metrics\"><thead><tr><th>Metric</th><th>Value</th><th>Note</th></tr></thead><tbody>");
        foreach (var metric in MetricCatalog.All)
        {
            if (metric.Html is { } row)
                Row(html, row.Label, "metrics." + row.Path, row.Value(m), row.Kind, row.Note(m));
        }
        if (c is not null)
        {
            var about = $"against {report.Benchmark!.Description}, {c.Returns:N0} same-date returns";
            Row(html, "Beta", "benchmark.beta", c.Beta, MetricKind.Ratio, about);
            Row(html, "Alpha (annual)", "benchmark.alpha", c.Alpha, MetricKind.Percent, "252 x mean daily excess over beta x benchmark");
            Row(html, "Correlation", "benchmark.correlation", c.Correlation, MetricKind.Ratio, "of daily returns");
            Row(html, "Tracking error", "benchmark.tracking_error", c.TrackingError, MetricKind.Percent, "annualised");
            Row(html, "Information ratio", "benchmark.information_ratio", c.InformationRatio, MetricKind.Ratio, "annualised");
        }
        html.Append("</tbody></table>");
    }

    private static void MonthlyTable(StringBuilder html, PerformanceMetrics m)
    {
        html.Append("<h2>Monthly returns (%)</h2><div class=\"scroll\"><table class=\"months\"><thead><tr><th>Year</th>");
        foreach (var month in TextReport.MonthNames)
            html.Append($"<th>{month}</th>");
        html.Append("<th>Year</th></tr></thead><tbody>");
        for (var r = 0; r < m.Periods.MonthlyReturns.Count; r++)
        {
            var row = m.Periods.MonthlyReturns[r];
            html.Append($"<tr><td>{row.Year}</td>");
            for (var c = 0; c < 12; c++)
            {
                if (row.Months[c] is { } v)
                    html.Append($"<td class=\"{Tone(v)}\" data-metric=\"metrics.monthly_returns.{r}.months.{c}\" data-unit=\"percent\" data-value=\"{Raw(v)}\">{(v * 100).ToString("0.00", CultureInfo.InvariantCulture)}</td>");
                else
                    html.Append("<td></td>");
            }
            html.Append($"<td class=\"{Tone(row.Total)}\" data-metric=\"metrics.monthly_returns.{r}.year_return\" data-unit=\"percent\" data-value=\"{Raw(row.Total)}\"><b>{(row.Total * 100).ToString("0.00", CultureInfo.InvariantCulture)}</b></td></tr>");
        }
        html.Append("</tbody></table></div>");
    }

    private static void OriginalStatistics(StringBuilder html, PortfolioReport report)
    {
        var stats = report.Statistics;
        html.Append("<h2>The original system's statistics</h2><table class=\"original\"><thead><tr><th>Statistic</th><th>Value</th></tr></thead><tbody>");
        if (stats.Overall is { } all)
        {
            Exact(html, "Max daily change (per share)", "daily_change.max_change", all.MaxChange);
            Exact(html, "Min daily change (per share)", "daily_change.min_change", all.MinChange);
            Exact(html, "Max daily change (%)", "daily_change.max_change_percent", all.MaxChangePercent);
            Exact(html, "Min daily change (%)", "daily_change.min_change_percent", all.MinChangePercent);
        }
        Exact(html, "Mean NAV per share", "nav_per_share.mean", stats.FullHistory.Mean);
        Exact(html, "Std dev of NAV per share (sample)", "nav_per_share.std", stats.FullHistory.StandardDeviation);
        Exact(html, $"Mean NAV per share {stats.Period}", "nav_per_share_in_period.mean", stats.InPeriod.Mean);
        Exact(html, $"Std dev of NAV per share {stats.Period}", "nav_per_share_in_period.std", stats.InPeriod.StandardDeviation);
        html.Append("</tbody></table><p class=\"meta\">By year and by month: see the text and JSON reports.</p>");
    }

    private static void Card(StringBuilder html, string label, string path, double? value, MetricKind kind) =>
        html.Append($"<div class=\"card\"><div class=\"label\">{E(label)}</div><div class=\"value {Tone(value, kind)}\" data-metric=\"{path}\"{Unit(kind)} data-value=\"{Raw(value)}\">{Show(value, kind)}</div></div>");

    private static void Row(StringBuilder html, string label, string path, double? value, MetricKind kind, string note) =>
        html.Append($"<tr><td>{E(label)}</td><td data-metric=\"{path}\"{Unit(kind)} data-value=\"{Raw(value)}\">{Show(value, kind)}</td><td class=\"note\">{E(note)}</td></tr>");

    private static void Cell(StringBuilder html, string path, double? value, MetricKind kind) =>
        html.Append($"<td class=\"{Tone(value, kind)}\" data-metric=\"{path}\"{Unit(kind)} data-value=\"{Raw(value)}\">{Show(value, kind)}</td>");

    private static void Exact(StringBuilder html, string label, string path, decimal? value) =>
        html.Append($"<tr><td>{E(label)}</td><td data-metric=\"{path}\" data-value=\"{value?.ToString(CultureInfo.InvariantCulture) ?? "null"}\">{TextReport.Number(value)}</td></tr>");

    private static string Show(double? value, MetricKind kind) => kind switch
    {
        MetricKind.Percent => TextReport.Percent(value),
        MetricKind.Ratio => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a",
        _ => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a",
    };

    /// <summary>Shown as a percent of the JSON fraction: said on the element, so a reader (or a test) can scale it back.</summary>
    private static string Unit(MetricKind kind) => kind == MetricKind.Percent ? " data-unit=\"percent\"" : "";

    /// <summary>The number as JSON writes it (shortest round-trip), or null.</summary>
    private static string Raw(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "null";

    private static string Tone(double? value, MetricKind kind = MetricKind.Percent) =>
        kind == MetricKind.Count || value is not { } v || v == 0 ? "" : v > 0 ? "gain" : "loss";

    private static void Open(StringBuilder html, string title) =>
        html.Append($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{E(title)}</title><style>{Style}</style></head><body>");

    private static void Close(StringBuilder html, bool wide = false) =>
        html.Append(wide ? "<footer class=\"wide\">" : "<footer>").Append("Written by FinNet. Conventions (CAGR's year, Sharpe, Sortino, VaR, drawdown dates) are FinNet's own; see docs/metrics.md in FinNet's repository.</footer></body></html>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
