using System.Globalization;
using System.Text.Json;

namespace FinNet.Analyst;

/// <summary>How a figure is shown: a fraction as a percent, a ratio, or a count.</summary>
public enum MetricKind
{
    Percent,
    Ratio,
    Count,
}

/// <summary>
/// One entry of the metric list: its key in the JSON report's <c>metrics</c> object and how it is written there,
/// and (where it has one) its line in the text report and its row in the HTML metrics table.
/// </summary>
/// <param name="Key">The JSON key under <c>metrics</c> (snake_case), also the schema's property name.</param>
/// <param name="WriteJson">Writes the value (a number, null, or an object) after the key.</param>
/// <param name="Text">The text report's line: label and value; null where another entry's line already shows it.</param>
/// <param name="Html">The HTML table's row; null where another row's note already shows it.</param>
public sealed record Metric(string Key, Action<Utf8JsonWriter, PerformanceMetrics> WriteJson, TextLine? Text, HtmlRow? Html);

/// <summary>A line of the text report's metrics section: <c>label</c> padded, then the value as text.</summary>
public sealed record TextLine(string Label, Func<PerformanceMetrics, MetricsOptions, string> Value);

/// <summary>A row of the HTML metrics table: its number (checked against the JSON at <c>metrics.Path</c>) and a note.</summary>
/// <param name="Path">The figure's path under <c>metrics</c> (the key, or key.field for an object).</param>
public sealed record HtmlRow(string Label, string Path, MetricKind Kind, Func<PerformanceMetrics, double?> Value, Func<PerformanceMetrics, string> Note);

/// <summary>
/// The metric list, declared once, in report order: the JSON report's <c>metrics</c> object, the text report's
/// section 6 and the HTML metrics table are all produced from it, and the schema test checks every key against
/// <c>report.schema.json</c>. Adding a metric: compute it in its group record (<see cref="PerformanceMetrics"/>),
/// then add one entry here (and its property to the schema, which the tests insist on).
/// </summary>
public static class MetricCatalog
{
    public static IReadOnlyList<Metric> All { get; } =
    [
        new("returns", (json, m) => json.WriteNumberValue(m.Returns.Count),
            new("returns", (m, _) => m.Returns.Count.ToString("N0", CultureInfo.InvariantCulture)),
            new("Daily returns", "returns", MetricKind.Count, m => m.Returns.Count, _ => "the first day is the starting value")),
        Fraction("total_return", m => m.Returns.TotalReturn, "total return", "Total return", "last NAV / first NAV - 1"),
        Fraction("cagr", m => m.Returns.Cagr, "CAGR", "CAGR", "years = calendar days / 365", textNote: "calendar years: days / 365"),
        Fraction("annual_volatility", m => m.Risk.Volatility, "annual volatility", "Annual volatility", "sample std of daily returns x sqrt 252"),
        RatioMetric("sharpe", m => m.Risk.Sharpe, "Sharpe ratio", "Sharpe ratio", "arithmetic: mean excess daily return / std x sqrt 252 (not CAGR / volatility)",
            textNote: "arithmetic mean excess return / std x sqrt 252"),
        RatioMetric("sortino", m => m.Risk.Sortino, "Sortino ratio", "Sortino ratio", "downside deviation over all days, target 0"),
        new("max_drawdown", (json, m) => JsonSerializer.Serialize(json, m.Risk.MaxDrawdown, ReportJsonContext.Default.MaxDrawdown),
            new("max drawdown", (m, _) => MaxDrawdownText(m.Risk.MaxDrawdown)),
            new("Max drawdown", "max_drawdown.depth", MetricKind.Percent, m => m.Risk.MaxDrawdown.Depth, m => MaxDrawdownNote(m.Risk.MaxDrawdown))),
        new("longest_drawdown", (json, m) => JsonSerializer.Serialize(json, m.Risk.LongestDrawdown, ReportJsonContext.Default.LongestDrawdown),
            new("longest drawdown", (m, _) => LongestDrawdownText(m.Risk.LongestDrawdown)),
            new("Longest drawdown (days)", "longest_drawdown.calendar_days", MetricKind.Count, m => m.Risk.LongestDrawdown.CalendarDays, m => LongestDrawdownNote(m.Risk.LongestDrawdown))),
        RatioMetric("calmar", m => m.Risk.Calmar, "Calmar ratio", "Calmar ratio", "CAGR / |max drawdown|, full history"),
        Fraction("var_95", m => m.Tails.ValueAtRisk95, "VaR 95 % (1 day)", "VaR 95 % (1 day)", "historical 5th percentile of daily returns", textNote: "historical"),
        Fraction("cvar_95", m => m.Tails.ConditionalValueAtRisk95, "CVaR 95 % (1 day)", "CVaR 95 % (1 day)", "mean of the worst 5 % of days"),
        RatioMetric("skewness", m => m.Tails.Skewness, "skewness", "Skewness", "bias-adjusted G1"),
        RatioMetric("excess_kurtosis", m => m.Tails.ExcessKurtosis, "excess kurtosis", "Excess kurtosis", "bias-adjusted G2 (normal = 0)"),
        Day("best_day", m => m.Periods.BestDay, "best day", "Best day"),
        Day("worst_day", m => m.Periods.WorstDay, "worst day", "Worst day"),
        Period("best_month", m => m.Periods.BestMonth, "best month", "Best month"),
        Period("worst_month", m => m.Periods.WorstMonth, "worst month", "Worst month"),
        Period("best_year", m => m.Periods.BestYear, "best year", "Best year"),
        Period("worst_year", m => m.Periods.WorstYear, "worst year", "Worst year"),
        new("win_rate", (json, m) => Number(json, m.WinLoss.WinRate),
            new("win rate", (m, _) => $"{Percent(m.WinLoss.WinRate)}   ({m.WinLoss.WinningDays:N0} winning, {m.WinLoss.LosingDays:N0} losing, {m.WinLoss.FlatDays:N0} flat days)"),
            new("Win rate", "win_rate", MetricKind.Percent, m => m.WinLoss.WinRate, m => $"{m.WinLoss.WinningDays:N0} winning, {m.WinLoss.LosingDays:N0} losing, {m.WinLoss.FlatDays:N0} flat days")),
        new("winning_days", (json, m) => json.WriteNumberValue(m.WinLoss.WinningDays), null, null),
        new("losing_days", (json, m) => json.WriteNumberValue(m.WinLoss.LosingDays), null, null),
        new("flat_days", (json, m) => json.WriteNumberValue(m.WinLoss.FlatDays), null, null),
        new("average_win", (json, m) => Number(json, m.WinLoss.AverageWin),
            new("average win / loss", (m, _) => $"{Percent(m.WinLoss.AverageWin)} / {Percent(m.WinLoss.AverageLoss)}   payoff {Ratio(m.WinLoss.Payoff)}"),
            new("Average win", "average_win", MetricKind.Percent, m => m.WinLoss.AverageWin, _ => "")),
        new("average_loss", (json, m) => Number(json, m.WinLoss.AverageLoss), null,
            new("Average loss", "average_loss", MetricKind.Percent, m => m.WinLoss.AverageLoss, _ => "")),
        new("payoff", (json, m) => Number(json, m.WinLoss.Payoff), null,
            new("Payoff ratio", "payoff", MetricKind.Ratio, m => m.WinLoss.Payoff, _ => "average win / |average loss|")),
        RatioMetric("omega", m => m.Tails.Omega, "Omega ratio", "Omega ratio", "threshold 0"),
        RatioMetric("tail_ratio", m => m.Tails.TailRatio, "tail ratio", "Tail ratio", "|95th percentile| / |5th percentile|"),
        Fraction("probabilistic_sharpe", m => m.Risk.ProbabilisticSharpe, "probabilistic Sharpe", "Probabilistic Sharpe", "probability that the true Sharpe ratio exceeds 0",
            textNote: "probability that the true Sharpe ratio exceeds 0"),
        new("monthly_returns", WriteMonthlyReturns, null, null),
        new("rolling_volatility", WriteRollingVolatility,
            new("rolling volatility", (m, options) => RollingText(m.Periods.RollingVolatility, options.RollingWindow)),
            null),
    ];

    /// <summary>The entries' JSON paths under <c>metrics</c>, for the schema test.</summary>
    public static IEnumerable<string> Keys => All.Select(m => m.Key);

    /// <summary>A fraction: shown as a percent in text and HTML, written as the fraction in JSON.</summary>
    /// <param name="textNote">Said after the value in the text report, in parentheses; none when null.</param>
    private static Metric Fraction(string key, Func<PerformanceMetrics, double?> value, string textLabel, string htmlLabel, string note, string? textNote = null) =>
        Scalar(key, value, MetricKind.Percent, Percent, textLabel, htmlLabel, note, textNote);

    private static Metric RatioMetric(string key, Func<PerformanceMetrics, double?> value, string textLabel, string htmlLabel, string note, string? textNote = null) =>
        Scalar(key, value, MetricKind.Ratio, Ratio, textLabel, htmlLabel, note, textNote);

    private static Metric Scalar(
        string key, Func<PerformanceMetrics, double?> value, MetricKind kind, Func<double?, string> show, string textLabel, string htmlLabel, string note, string? textNote) => new(
        key,
        (json, m) => Number(json, value(m)),
        new(textLabel, (m, _) => show(value(m)) + (textNote is null ? "" : $"   ({textNote})")),
        new(htmlLabel, key, kind, value, _ => note));

    /// <summary>A day's return with its date: <c>{"date", "return"}</c> or null.</summary>
    private static Metric Day(string key, Func<PerformanceMetrics, DatedValue?> day, string textLabel, string htmlLabel) => new(
        key,
        (json, m) =>
        {
            if (day(m) is not { } d)
            {
                json.WriteNullValue();
                return;
            }
            json.WriteStartObject();
            json.WriteString("date", IsoDate(d.Date));
            json.WriteNumber("return", d.Value);
            json.WriteEndObject();
        },
        new(textLabel, (m, _) => day(m) is { } d ? $"{Percent(d.Value)} on {d.Date:yyyy-MM-dd}" : "n/a"),
        new(htmlLabel, key + ".return", MetricKind.Percent, m => day(m)?.Value, m => day(m) is { } d ? $"{d.Date:yyyy-MM-dd}" : ""));

    /// <summary>A month's or year's compounded return with its label: <c>{"period", "return"}</c> or null.</summary>
    private static Metric Period(string key, Func<PerformanceMetrics, PeriodReturn?> period, string textLabel, string htmlLabel) => new(
        key,
        (json, m) => JsonSerializer.Serialize(json, period(m), ReportJsonContext.Default.PeriodReturn),
        new(textLabel, (m, _) => period(m) is { } p ? $"{Percent(p.Return)} in {p.Period}" : "n/a"),
        new(htmlLabel, key + ".return", MetricKind.Percent, m => period(m)?.Return, m => period(m)?.Period ?? ""));

    private static void WriteMonthlyReturns(Utf8JsonWriter json, PerformanceMetrics m)
    {
        json.WriteStartArray();
        foreach (var row in m.Periods.MonthlyReturns)
        {
            json.WriteStartObject();
            json.WriteNumber("year", row.Year);
            json.WriteStartArray("months");
            foreach (var month in row.Months)
                Number(json, month);
            json.WriteEndArray();
            json.WriteNumber("year_return", row.Total);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Columns rather than objects: a point a day, and the key names had made up a third of a report's bytes.</summary>
    private static void WriteRollingVolatility(Utf8JsonWriter json, PerformanceMetrics m)
    {
        var points = m.Periods.RollingVolatility;
        json.WriteStartObject();
        json.WriteNumber("window", m.Periods.RollingWindow);
        json.WriteStartArray("dates");
        foreach (var point in points)
            json.WriteStringValue(IsoDate(point.Date));
        json.WriteEndArray();
        json.WriteStartArray("values");
        foreach (var point in points)
            json.WriteNumberValue(point.Value);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, double? value)
    {
        if (value is { } v)
            json.WriteNumberValue(v);
        else
            json.WriteNullValue();
    }

    private static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string MaxDrawdownText(MaxDrawdown dd) => dd.Peak is null
        ? Percent(dd.Depth) + "   (never below a previous high)"
        : $"{Percent(dd.Depth)}   peak {dd.Peak:yyyy-MM-dd}, trough {dd.Trough:yyyy-MM-dd}, "
          + (dd.Ongoing ? "not recovered" : $"recovered {dd.Recovery:yyyy-MM-dd}")
          + $" ({dd.CalendarDays:N0} calendar days, {dd.TradingDays:N0} trading days{(dd.Ongoing ? " so far" : "")})";

    private static string MaxDrawdownNote(MaxDrawdown dd) => dd.Peak is null
        ? "never below a previous high"
        : $"peak {dd.Peak:yyyy-MM-dd}, trough {dd.Trough:yyyy-MM-dd}, " + (dd.Ongoing ? "not recovered" : $"recovered {dd.Recovery:yyyy-MM-dd}")
          + $"; {dd.CalendarDays:N0} calendar / {dd.TradingDays:N0} trading days";

    private static string LongestDrawdownText(LongestDrawdown longest) => longest.Peak is null
        ? "0 days"
        : $"{longest.CalendarDays:N0} calendar days from {longest.Peak:yyyy-MM-dd}" + (longest.Ongoing ? ", not recovered" : $" to {longest.Recovery:yyyy-MM-dd}");

    private static string LongestDrawdownNote(LongestDrawdown longest) => longest.Peak is null
        ? ""
        : $"from {longest.Peak:yyyy-MM-dd}" + (longest.Ongoing ? ", not recovered" : $" to {longest.Recovery:yyyy-MM-dd}");

    private static string RollingText(IReadOnlyList<DatedValue> rolling, int window) => rolling.Count == 0
        ? $"n/a (fewer than {window} returns)"
        : $"{window}-return window: latest {Percent(rolling[^1].Value)} on {rolling[^1].Date:yyyy-MM-dd}, "
          + $"lowest {Percent(rolling.Min(p => p.Value))}, highest {Percent(rolling.Max(p => p.Value))}";

    private static string Percent(double? fraction) => TextReport.Percent(fraction);

    private static string Ratio(double? value) => TextReport.Ratio(value);
}
