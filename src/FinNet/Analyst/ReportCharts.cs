using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace FinNet.Analyst;

/// <summary>One chart of a portfolio page: its id, its title (also the figure caption) and the SVG drawn by ScottPlot.</summary>
public sealed record ReportChart(string Id, string Title, string Svg);

/// <summary>
/// The charts of a portfolio's HTML page, drawn with ScottPlot as SVG (text stays text, the page scales cleanly and
/// opens offline): NAV against the benchmark, the underwater curve, the monthly returns heatmap, rolling
/// volatility and the distribution of daily returns with the VaR.
/// </summary>
public static partial class ReportCharts
{
    private const int Width = 960;

    private const int Height = 340;

    /// <summary>Room under a chart for a legend drawn outside the data area.</summary>
    private const int LegendHeight = 30;

    /// <summary>The most characters of a portfolio name in a chart title or legend: a title fits the chart's width.</summary>
    private const int MaxNameInTitle = 48;
    private static readonly Color PortfolioColor = Color.FromHex("#1f5fa8");
    private static readonly Color BenchmarkColor = Color.FromHex("#9a9a9a");
    private static readonly Color LossColor = Color.FromHex("#c0392b");

    public static IReadOnlyList<ReportChart> Draw(PortfolioReport report)
    {
        if (report.Metrics is not { } metrics || report.Series.Count < 2)
            return [];
        var charts = new List<ReportChart> { NavAgainstBenchmark(report), Underwater(report, metrics), MonthlyHeatmap(report, metrics) };
        if (metrics.Periods.RollingVolatility.Count > 1)
            charts.Add(RollingVolatility(report, metrics));
        charts.Add(ReturnDistribution(report, metrics));
        return charts;
    }

    private static ReportChart NavAgainstBenchmark(PortfolioReport report)
    {
        var name = Shorten(report.Portfolio.Name, MaxNameInTitle);
        var title = report.Benchmark is { } b
            ? $"{name}: NAV per share against {b.Name} (both rebased to 100)"
            : $"{name}: NAV per share (rebased to 100)";
        var plot = NewPlot(title, "Index (first day = 100)", report.Series[0].AsOf, report.Series[^1].AsOf);
        var first = (double)report.Series[0].NavPerShare;
        var portfolio = plot.Add.SignalXY(Dates(report.Series.Select(p => p.AsOf)), report.Series.Select(p => 100 * (double)p.NavPerShare / first).ToArray());
        portfolio.Color = PortfolioColor;
        portfolio.LineWidth = 1.5f;
        portfolio.LegendText = $"{report.Portfolio.Key} {Shorten(report.Portfolio.Name, MaxNameInTitle)}";
        if (report.Benchmark is { } benchmark)
        {
            // Rebased on the portfolio's first date, so both lines start together.
            var start = report.Series[0].AsOf;
            var values = benchmark.Values.Where(v => v.Date >= start && v.Date <= report.Series[^1].AsOf).ToList();
            if (values.Count > 1)
            {
                var line = plot.Add.SignalXY(Dates(values.Select(v => v.Date)), values.Select(v => 100 * v.Value / values[0].Value).ToArray());
                line.Color = BenchmarkColor;
                line.LegendText = $"benchmark: {benchmark.Name}";
            }
        }
        plot.ShowLegend(Edge.Bottom); // under the axes, never over the lines
        return Render("nav", title, plot, Height + LegendHeight);
    }

    private static ReportChart Underwater(PortfolioReport report, PerformanceMetrics metrics)
    {
        const string title = "Drawdown from the previous high (underwater curve)";
        var plot = NewPlot(title, "Drawdown (%)", report.Series[0].AsOf, report.Series[^1].AsOf);
        var (xs, ys) = Decimate(Dates(report.Series.Select(p => p.AsOf)), Drawdowns.Underwater(report.Series).Select(v => v * 100).ToArray(), Width);
        var fill = plot.Add.FillY(xs, ys, new double[xs.Length]);
        fill.FillStyle.Color = LossColor.WithAlpha(0.35);
        fill.LineStyle.Color = LossColor;
        if (metrics.Risk.MaxDrawdown.Trough is { } trough)
        {
            var x = trough.ToDateTime(TimeOnly.MinValue).ToOADate();
            var y = metrics.Risk.MaxDrawdown.Depth * 100;
            var marker = plot.Add.Marker(x, y);
            marker.Color = Colors.Black;
            marker.Size = 9;
            var label = plot.Add.Text($"deepest: {TextReport.Percent(metrics.Risk.MaxDrawdown.Depth)} on {trough:yyyy-MM-dd}", x, y);
            label.LabelFontSize = 12;
            // Above the trough, on the side with room: the text runs away from the nearer edge, so it is never cut off.
            var inRightHalf = x > (xs[0] + xs[^1]) / 2;
            label.LabelAlignment = inRightHalf ? Alignment.LowerRight : Alignment.LowerLeft;
            label.OffsetX = inRightHalf ? -6 : 6;
            label.OffsetY = -6;
        }
        plot.Axes.Margins(bottom: 0.12, top: 0.15); // room for the marker and its label
        return Render("drawdown", title, plot);
    }

    private static ReportChart MonthlyHeatmap(PortfolioReport report, PerformanceMetrics metrics)
    {
        const string title = "Monthly returns (%), with the year's compounded return";
        var rows = metrics.Periods.MonthlyReturns;
        var plot = new Plot();
        StylePlot(plot, title);
        // Months as heatmap cells on a diverging scale symmetric around 0 (red losses, blue gains); the year's
        // return, on another scale than a month's, as a label in a 13th column. The exact figures are in the
        // table under the chart: labelling all the cells here cost three times the drawing.
        // Each month a rectangle of its own (year r in row rows.Count - 1 - r, month c in column c, centred on
        // whole coordinates), so every month there is gets drawn whatever the range, one row or thirty.
        var largest = 1e-9;
        foreach (var row in rows)
        {
            foreach (var month in row.Months)
                largest = Math.Max(largest, Math.Abs((month ?? 0) * 100));
        }
        IColormap colormap = new ScottPlot.Colormaps.Balance().Reversed();
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < 12; c++)
            {
                if (rows[r].Months[c] is not { } month)
                    continue;
                var y = rows.Count - 1 - r;
                var cell = plot.Add.Rectangle(c - 0.5, c + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = colormap.GetColor(((month * 100) + largest) / (2 * largest));
                cell.LineWidth = 0;
            }
        }
        // The scale: ScottPlot's colour bar, fed by a heatmap of the same colormap and range that is not drawn.
        var scale = plot.Add.Heatmap(new double[,] { { -largest, largest } });
        scale.Colormap = colormap;
        scale.ManualRange = new ScottPlot.Range(-largest, largest);
        scale.IsVisible = false;
        for (var r = 0; r < rows.Count; r++)
        {
            var text = plot.Add.Text((rows[r].Total * 100).ToString("0.0", CultureInfo.InvariantCulture), 12.4, rows.Count - 1 - r);
            text.LabelFontSize = 11;
            text.LabelBold = true;
            text.LabelFontColor = rows[r].Total < 0 ? LossColor : Colors.Black;
            text.LabelAlignment = Alignment.MiddleCenter;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, 13).Select(i => i == 12 ? 12.4 : i).ToArray(), [.. TextReport.MonthNames, "Year"]);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i)).ToArray(), rows.Select(r => r.Year.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimits(-0.5, 13, -0.5, rows.Count - 0.5);
        plot.Axes.Bottom.Label.Text = "Month";
        plot.Axes.Left.Label.Text = "Year";
        plot.Grid.IsVisible = false;
        plot.Add.ColorBar(scale).Label = "Monthly return (%)";
        return Render("monthly", title, plot, Math.Max(Height, 90 + (rows.Count * 18)));
    }

    private static ReportChart RollingVolatility(PortfolioReport report, PerformanceMetrics metrics)
    {
        var window = report.Options.Metrics.RollingWindow;
        var title = $"Rolling volatility ({window} trading days, annualised)";
        var plot = NewPlot(title, "Volatility (%)", metrics.Periods.RollingVolatility[0].Date, metrics.Periods.RollingVolatility[^1].Date);
        var line = plot.Add.SignalXY(Dates(metrics.Periods.RollingVolatility.Select(p => p.Date)), metrics.Periods.RollingVolatility.Select(p => p.Value * 100).ToArray());
        line.Color = PortfolioColor;
        if (metrics.Risk.Volatility is { } overall)
        {
            var average = plot.Add.HorizontalLine(overall * 100);
            average.Color = BenchmarkColor;
            average.LinePattern = LinePattern.Dashed;
            average.LegendText = $"whole history: {TextReport.Percent(overall)}";
            plot.ShowLegend(Edge.Bottom);
        }
        return Render("rolling-volatility", title, plot, Height + LegendHeight);
    }

    private static ReportChart ReturnDistribution(PortfolioReport report, PerformanceMetrics metrics)
    {
        const string title = "Distribution of daily returns, with the 95 % VaR";
        var plot = new Plot();
        StylePlot(plot, title);
        var returns = ReturnStatistics.ReturnsOf(report.Series.Select(p => (double)p.NavPerShare).ToArray()).Select(r => r * 100).ToArray();
        var (low, high) = (returns.Min(), returns.Max());
        if (high - low < 1e-9)
            (low, high) = (low - 0.5, high + 0.5);
        var bins = Math.Clamp(returns.Length / 20, 10, 80);
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, low, high);
        histogram.AddRange(returns);
        var bars = plot.Add.Histogram(histogram);
        bars.BarWidthFraction = 0.9;
        foreach (var bar in bars.Bars)
            bar.FillColor = PortfolioColor.WithAlpha(0.75);
        if (metrics.Tails.ValueAtRisk95 is { } var95)
        {
            var line = plot.Add.VerticalLine(var95 * 100);
            line.Color = LossColor;
            line.LineWidth = 2;
            line.LegendText = $"VaR 95 %: {TextReport.Percent(var95)}";
            plot.ShowLegend(Edge.Bottom);
        }
        plot.Axes.Bottom.Label.Text = "Daily return (%)";
        plot.Axes.Left.Label.Text = "Days";
        plot.Axes.Margins(bottom: 0);
        var binWidth = (high - low) / bins;
        plot.Axes.SetLimitsX(Math.Min(low, metrics.Tails.ValueAtRisk95 * 100 ?? low) - binWidth, high + binWidth); // the outer bars whole
        return Render("return-distribution", title, plot, Height + LegendHeight);
    }

    /// <summary>
    /// Draws one small chart of every kind the pages use, so that ScottPlot's and SkiaSharp's start-up (JIT, fonts)
    /// is paid while something else runs: <c>finnet run</c> calls it as the pipeline starts.
    /// </summary>
    public static void WarmUp()
    {
        var plot = NewPlot("warm-up", "y", new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        double[] xs = [1, 2, 3], ys = [1, 3, 2];
        plot.Add.SignalXY(xs, ys);
        plot.Add.FillY(xs, ys, new double[3]);
        plot.Add.Marker(2, 2);
        plot.Add.Text("warm-up", 2, 2);
        plot.Add.Rectangle(0, 1, 0, 1);
        plot.Add.HorizontalLine(2);
        plot.Add.VerticalLine(2);
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(3, 0, 3);
        histogram.AddRange(ys);
        plot.Add.Histogram(histogram);
        plot.ShowLegend();
        SvgXml(plot, 200, 100);
    }

    /// <summary>
    /// At most about 2 points per pixel column: for each of <paramref name="columns"/> runs of points, its lowest and
    /// highest in date order. What the eye sees at that width is unchanged; the SVG is a fraction of the size.
    /// </summary>
    private static (double[] Xs, double[] Ys) Decimate(double[] xs, double[] ys, int columns)
    {
        if (xs.Length <= 2 * columns)
            return (xs, ys);
        var (outX, outY) = (new List<double>(2 * columns + 2), new List<double>(2 * columns + 2));
        var perColumn = (double)xs.Length / columns;
        for (var column = 0; column < columns; column++)
        {
            var (start, end) = ((int)(column * perColumn), Math.Min(xs.Length, (int)((column + 1) * perColumn)));
            var (low, high) = (start, start);
            for (var i = start; i < end; i++)
            {
                if (ys[i] < ys[low])
                    low = i;
                if (ys[i] > ys[high])
                    high = i;
            }
            foreach (var i in low <= high ? [low, high] : new[] { high, low })
            {
                outX.Add(xs[i]);
                outY.Add(ys[i]);
            }
        }
        outX.Add(xs[^1]);
        outY.Add(ys[^1]);
        return (outX.ToArray(), outY.ToArray());
    }

    /// <summary>A chart over dates: x is the OLE date, ticked by <see cref="DateTicks"/> for [first, last].</summary>
    private static Plot NewPlot(string title, string yLabel, DateOnly first, DateOnly last)
    {
        var plot = new Plot();
        StylePlot(plot, title);
        var ticks = DateTicks(first, last);
        plot.Axes.Bottom.SetTicks(ticks.Select(t => t.Date.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray(), ticks.Select(t => t.Label).ToArray());
        plot.Axes.Bottom.Label.Text = "Date";
        plot.Axes.Left.Label.Text = yLabel;
        return plot;
    }

    /// <summary>
    /// Date ticks that fit the range, each label once: days (2024-03-15) up to about two months, months (2024-03)
    /// up to about four years, then years (2024); the step is the smallest of its unit that gives at most
    /// <paramref name="most"/> ticks, and ticks sit on whole units (the 1st of a month, 1 January).
    /// </summary>
    public static IReadOnlyList<(DateOnly Date, string Label)> DateTicks(DateOnly first, DateOnly last, int most = 10)
    {
        var days = last.DayNumber - first.DayNumber;
        if (days <= 62)
        {
            var step = DaySteps.First(s => days / s < most);
            return Enumerable.Range(0, (days / step) + 1)
                .Select(i => first.AddDays(i * step))
                .Select(d => (d, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).ToList();
        }
        var months = ((last.Year - first.Year) * 12) + last.Month - first.Month;
        if (months <= 48)
        {
            var step = MonthSteps.First(s => months / s < most);
            var start = new DateOnly(first.Year, first.Month, 1).AddMonths(first.Day == 1 ? 0 : 1);
            start = start.AddMonths((step - ((start.Month - 1) % step)) % step); // on multiples of the step (Jan, Apr, ...)
            var ticks = new List<(DateOnly, string)>();
            for (var d = start; d <= last; d = d.AddMonths(step))
                ticks.Add((d, d.ToString("yyyy-MM", CultureInfo.InvariantCulture)));
            return ticks;
        }
        var years = last.Year - first.Year;
        var yearStep = YearSteps.First(s => years / s < most);
        var firstYear = first.Month == 1 && first.Day == 1 ? first.Year : first.Year + 1;
        firstYear += (yearStep - (firstYear % yearStep)) % yearStep;
        return Enumerable.Range(0, Math.Max(0, ((last.Year - firstYear) / yearStep) + 1))
            .Select(i => new DateOnly(firstYear + (i * yearStep), 1, 1))
            .Select(d => (d, d.Year.ToString(CultureInfo.InvariantCulture))).ToList();
    }

    private static readonly int[] DaySteps = [1, 2, 5, 7, 14, 28];
    private static readonly int[] MonthSteps = [1, 2, 3, 6, 12];
    private static readonly int[] YearSteps = [1, 2, 5, 10, 20, 50, 100];

    /// <summary>A name as a chart title or legend shows it: long names cut with an ellipsis (the page's heading has it whole).</summary>
    public static string Shorten(string name, int most) => name.Length <= most ? name : name[..(most - 1)].TrimEnd() + "\u2026";

    private static void StylePlot(Plot plot, string title)
    {
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, size: 15);
        plot.Axes.Title.Label.Bold = true;
    }

    /// <summary>
    /// SkiaSharp numbers clip paths and images with a process-wide counter, so the same chart came out different in
    /// each run, and two charts of one page could share an id. Renumbered per chart: reports are reproducible.
    /// </summary>
    /// <remarks>
    /// One pass over the SVG: a heatmap has hundreds of ids, and replacing them one at a time (three string scans
    /// each) was 7 % of drawing a page (dotnet-trace of finnet report).
    /// </remarks>
    private static string LocalIds(string chart, string svg)
    {
        var locals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in SvgId().Matches(svg).Select(m => m.Groups[1].Value))
            locals.TryAdd(id, $"{chart}-{locals.Count}");
        return SvgReference().Replace(svg, m => locals.TryGetValue(m.Groups["id"].Value, out var local) ? m.Groups["pre"].Value + local : m.Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex SvgId();

    /// <summary>Everywhere an id appears: as an id, in url(#...), in href="#...".</summary>
    [System.Text.RegularExpressions.GeneratedRegex("(?<pre>id=\"|url\\(#|href=\"#)(?<id>[^\"\\)]+)(?=[\"\\)])")]
    private static partial System.Text.RegularExpressions.Regex SvgReference();

    private static double[] Dates(IEnumerable<DateOnly> dates) => dates.Select(d => d.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();

    /// <summary>
    /// The plot as SVG, drawn the way ScottPlot's <c>GetSvgXml</c> draws it (byte for byte the same pages), with two
    /// differences that let charts be drawn on every core at once:
    /// <list type="bullet">
    /// <item>The SVG is written into Skia's own memory stream. <c>GetSvgXml</c> hands Skia a .NET stream, so native
    /// code calls back into managed code for every write, the closing tags included as the canvas is destroyed. That
    /// callback was the first suspect of the SIGSEGV a 1,000-portfolio run died of ("a thread-pool thread jumped to
    /// address -1"); drawing went one chart at a time behind a lock for it, which made a page's charts the slowest
    /// part of the default run's reports. Here the SVG goes nowhere managed. (One callback remains, in ScottPlot: its
    /// colour bar is a bitmap over pinned managed pixels, released through a managed delegate when Skia lets it go;
    /// the stress test forces those releases between rounds.)</item>
    /// <item>The layout pass (ScottPlot draws until the axes stop moving, then once more onto the SVG) goes onto a
    /// canvas that draws nothing, not onto a raster image of the chart.</item>
    /// </list>
    /// <c>ReportChartsStressTests</c> draws pages on twice the cores under forced collections and checks them
    /// identical; the default network's reports, and a 1,000-portfolio network's 1,000 pages drawn three times, came
    /// out byte-identical to the locked <c>GetSvgXml</c> ones.
    /// </summary>
    private static string SvgXml(Plot plot, int width, int height)
    {
        using (var layout = new SKNoDrawCanvas(width, height))
            plot.Render(layout, width, height);
        using var stream = new SKDynamicMemoryWStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
        {
            // One pass, onto the settled layout; no background cleared under it (ScottPlot's setting for SVG).
            plot.RenderManager.ClearCanvasBeforeEachRender = false;
            plot.Render(canvas, width, height);
        } // the canvas writes its closing tags as it is destroyed, into the stream that is still there
        using var data = stream.DetachAsData();
        return System.Text.Encoding.UTF8.GetString(data.AsSpan());
    }

    /// <summary>ScottPlot's SVG, made embeddable: no XML declaration, a viewBox so CSS can scale it, an accessible name.</summary>
    private static ReportChart Render(string id, string title, Plot plot, int height = Height)
    {
        var svg = SvgXml(plot, Width, height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = LocalIds(id, svg[start..])
            .Replace("<svg ", $"<svg viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(title)}\" ", StringComparison.Ordinal)
            .Replace("<image ", "<image style=\"image-rendering: pixelated\" ", StringComparison.Ordinal); // heatmap cells stay crisp when scaled
        return new ReportChart(id, title, svg);
    }
}
