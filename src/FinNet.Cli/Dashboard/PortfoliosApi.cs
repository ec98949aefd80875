using FinNet.Analyst;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FinNet.Cli.Dashboard;

/// <summary>
/// <c>/api/portfolios</c>: one line per portfolio, and each portfolio's full document, the same one
/// <c>finnet report</c> writes as <c>Inv1_P11_stats.json</c> (schema <c>report.schema.json</c>), over the NAVs so far.
/// </summary>
internal static class PortfoliosApi
{
    public static void Map(IEndpointRouteBuilder app, LiveAnalyst analyst)
    {
        var api = app.MapGroup("/api/portfolios");
        api.MapGet("/", () => TypedResults.Json(analyst.Rows().Select(Line), DashboardJson.Options));
        api.MapGet("/{key}", IResult (string key) => analyst.Report(key) is { } report
            ? TypedResults.Bytes(JsonReport.Render(report), "application/json")
            : NotFound(key));
        api.MapGet("/{key}/series", IResult (string key) => analyst.Series(key) is { } series
            ? TypedResults.Json(new SeriesDocument(series.Portfolio, series.Dates, series.NavPerShare, series.Benchmark, series.BenchmarkValues), DashboardJson.Options)
            : NotFound(key));
        app.MapGet("/api/status", () =>
        {
            var counters = analyst.Counters();
            var (healthy, status) = analyst.Health();
            return TypedResults.Json(new StatusDocument(counters.LatestDate, counters.NavsReceived, counters.Duplicates, Math.Round(counters.NavsPerSecond, 1),
                counters.Portfolios, analyst.BenchmarkDescription, healthy, status, analyst.Events.LastId), DashboardJson.Options);
        });
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<ErrorDocument> NotFound(string key) =>
        TypedResults.Json(new ErrorDocument($"no portfolio '{key}' in the network (see /api/portfolios)"), DashboardJson.Options, statusCode: StatusCodes.Status404NotFound);

    internal sealed record SeriesDocument(string Portfolio, DateOnly[] Dates, decimal[] NavPerShare, string? Benchmark, double?[]? BenchmarkValues);

    internal sealed record StatusDocument(DateOnly? LatestDate, long NavsReceived, long Duplicates, double NavsPerSecond, int Portfolios, string Benchmark, bool Healthy, string Status, long LastEventId);

    /// <summary>A portfolio's line, with the report's meanings and units (fractions; the change as stored, per share and in percent).</summary>
    private static PortfolioLine Line(LiveRow row)
    {
        var f = row.Figures;
        return new PortfolioLine(row.Portfolio, row.Name, row.InvestorName, f.Days, f.Last?.AsOf, f.Last?.NavPerShare, f.Last?.Change, f.Last?.ChangePercent,
            f.TotalReturn, f.Cagr, f.Volatility, f.Sharpe, f.MaxDrawdown, f.DataError);
    }

    internal sealed record PortfolioLine(
        string Portfolio, string Name, string Investor, int Days, DateOnly? LastDate, decimal? NavPerShare, decimal? Change, decimal? ChangePercent,
        double? TotalReturn, double? Cagr, double? AnnualVolatility, double? Sharpe, double? MaxDrawdown, string? DataError);

    internal sealed record ErrorDocument(string Error);
}

/// <summary>The API's JSON: snake_case keys, as the reports write them.</summary>
internal static class DashboardJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // an API, not HTML: quotes stay quotes
    };
}
