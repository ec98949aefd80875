namespace FinNet.Analyst;

/// <summary>Which report files to write.</summary>
[Flags]
public enum ReportFormats
{
    None = 0,
    Text = 1,
    Json = 2,
    Html = 4,
    All = Text | Json | Html,
}

/// <summary>
/// What the analyst reports and how: the folder, the formats, the period of statistic (4), the benchmark
/// (<c>market</c>, an exchange id, a portfolio key or <c>none</c>), the annual risk-free rate as a fraction, and an
/// optional sub-range analysed as a series of its own.
/// </summary>
public sealed record AnalystOptions(
    string ReportsDirectory,
    DatePeriod Period,
    ReportFormats Formats = ReportFormats.All,
    string Benchmark = BenchmarkSeries.Market,
    double RiskFreeRate = 0,
    DateOnly? From = null,
    DateOnly? To = null)
{
    public MetricsOptions Metrics => new(RiskFreeRate);

    public bool Includes(DateOnly date) => (From is null || date >= From) && (To is null || date <= To);

    /// <summary>Parses <c>text,json,html</c> (any subset, any order).</summary>
    public static ReportFormats ParseFormats(string text)
    {
        var formats = ReportFormats.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            formats |= name.ToUpperInvariant() switch
            {
                "TEXT" => ReportFormats.Text,
                "JSON" => ReportFormats.Json,
                "HTML" => ReportFormats.Html,
                _ => throw new InvalidInputException($"--format: unknown format '{name}' (choose from text, json, html, comma-separated)"),
            };
        }
        return formats == ReportFormats.None
            ? throw new InvalidInputException("--format: name at least one of text, json, html")
            : formats;
    }
}
