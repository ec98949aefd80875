using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FinNet.Cli.Dashboard;

/// <summary>
/// The pages and their assets, embedded in the binary (nothing is fetched from elsewhere): <c>/</c> all portfolios,
/// <c>/portfolios/{key}</c> one portfolio, <c>/assets/*</c> the dashboard's own script and style and the vendored
/// uPlot (MIT; pinned in Dashboard/package.json).
/// </summary>
internal static class Pages
{
    private static readonly Assembly Assembly = typeof(Pages).Assembly;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Resource("dashboard/index.html"));
        // The page is the same for every key: its script reads the key from the address and asks the API.
        app.MapGet("/portfolios/{key}", (string key) => Resource("dashboard/portfolio.html"));
        app.MapGet("/assets/{name}", IResult (string name) => Resource($"dashboard/{name}") ?? Resource($"dashboard/vendor/{name}") ?? (IResult)TypedResults.NotFound());
    }

    private static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult? Resource(string name)
    {
        using var stream = Assembly.GetManifestResourceStream(name);
        if (stream is null)
            return null;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => "application/octet-stream",
        };
        return TypedResults.Bytes(bytes.ToArray(), type);
    }
}
