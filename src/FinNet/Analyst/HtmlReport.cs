namespace FinNet.Analyst;

public static class HtmlReport
{
    public const string IndexFileName = "index.html";

    public static string FileName(PortfolioReport report) => $"{report.Portfolio.Key}.html";

    public static string Render(PortfolioReport report) => "";

    public static string RenderIndex(IReadOnlyList<PortfolioSummary> summaries, AnalystOptions options, BenchmarkSeries? benchmark) => "";
}
