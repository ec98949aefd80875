namespace FinNet.Analyst;

/// <summary>Which report files to write.</summary>
[Flags]
public enum ReportFormats
{
    None = 0,
    Text = 1,
    Json = 2,

    /// <summary>An HTML page per portfolio, and <c>index.html</c>.</summary>
    Html = 4,

    /// <summary><c>index.html</c> alone (the table of all portfolios), without a page per portfolio.</summary>
    Index = 8,
    All = Text | Json | Html,

    /// <summary><c>--format auto</c>: <see cref="AnalystOptions.Resolve"/> picks by the number of portfolios.</summary>
    Auto = 16,
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

    /// <summary>
    /// Up to this many portfolios, <c>--format auto</c> writes an HTML page per portfolio; beyond it text, JSON and
    /// <c>index.html</c> only: ten thousand chart pages are nobody's reading, and drawing them costs minutes.
    /// </summary>
    public const int MostAutoPages = 200;

    public bool Includes(DateOnly date) => (From is null || date >= From) && (To is null || date <= To);

    /// <summary>
    /// The formats for <paramref name="portfolios"/> portfolios: <see cref="ReportFormats.Auto"/> becomes text, JSON
    /// and HTML pages up to <see cref="MostAutoPages"/> portfolios (or when they were named), else text, JSON and the
    /// index; an explicit list stays as it is. Also says, for the user, what was chosen and why.
    /// </summary>
    public static (ReportFormats Formats, string Why) Resolve(ReportFormats formats, int portfolios, bool named)
    {
        if (formats != ReportFormats.Auto)
            return (formats, "as asked");
        return named || portfolios <= MostAutoPages
            ? (ReportFormats.All, named ? "auto: the portfolios named" : $"auto: {portfolios:N0} portfolios, pages up to {MostAutoPages}")
            : (ReportFormats.Text | ReportFormats.Json | ReportFormats.Index, $"auto: {portfolios:N0} portfolios, pages only up to {MostAutoPages}; --format text,json,html for all");
    }

    /// <summary>The formats in words: "text, JSON, HTML pages and index.html".</summary>
    public static string Describe(ReportFormats formats)
    {
        var names = new List<string>();
        if (formats.HasFlag(ReportFormats.Text))
            names.Add("text");
        if (formats.HasFlag(ReportFormats.Json))
            names.Add("JSON");
        if (formats.HasFlag(ReportFormats.Html))
            names.Add("HTML pages");
        if (formats.HasFlag(ReportFormats.Html) || formats.HasFlag(ReportFormats.Index))
            names.Add("index.html");
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }

    /// <summary>Parses <c>auto</c>, or <c>text,json,html,index</c> (any subset, any order).</summary>
    public static ReportFormats ParseFormats(string text)
    {
        if (text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
            return ReportFormats.Auto;
        var formats = ReportFormats.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            formats |= name.ToUpperInvariant() switch
            {
                "TEXT" => ReportFormats.Text,
                "JSON" => ReportFormats.Json,
                "HTML" => ReportFormats.Html,
                "INDEX" => ReportFormats.Index,
                _ => throw new InvalidInputException($"--format: unknown format '{name}' (auto, or choose from text, json, html, index, comma-separated)"),
            };
        }
        return formats == ReportFormats.None
            ? throw new InvalidInputException("--format: auto, or name at least one of text, json, html, index")
            : formats;
    }
}
