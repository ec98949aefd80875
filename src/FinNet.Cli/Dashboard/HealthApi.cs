using FinNet.Analyst;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace FinNet.Cli.Dashboard;

/// <summary>
/// <c>/healthz</c> (200 while the source is reachable and at most 5 s behind, 503 with the reason otherwise) and
/// <c>/metrics</c> (Prometheus text format, from a registry of this host's own, filled from the analyst's counters
/// when scraped).
/// </summary>
internal static class HealthApi
{
    public static void Map(IEndpointRouteBuilder app, LiveAnalyst analyst, SseClients clients)
    {
        app.MapGet("/healthz", () =>
        {
            var (healthy, status) = analyst.Health();
            return TypedResults.Json(new HealthDocument(healthy ? "ok" : "unhealthy", status), DashboardJson.Options,
                statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });

        var registry = Metrics.NewCustomRegistry();
        var metrics = Metrics.WithCustomRegistry(registry);
        var received = metrics.CreateCounter("finnet_navs_received_total", "NAVs the live analyst has taken in (duplicates not counted)");
        var duplicates = metrics.CreateCounter("finnet_navs_duplicate_total", "NAVs dropped as already received for their portfolio and date");
        var rate = metrics.CreateGauge("finnet_navs_per_second", "NAVs received per second over the last 5 seconds");
        var portfolios = metrics.CreateGauge("finnet_portfolios", "Portfolios in the network");
        var sse = metrics.CreateGauge("finnet_sse_clients", "Clients connected to /api/events");
        var healthy = metrics.CreateGauge("finnet_source_healthy", "1 while the source is reachable, at most 5 s behind, and no NAV is missing");
        var lag = metrics.CreateGauge("finnet_lag_messages", "Messages not yet read per Kafka partition (with --kafka)", "partition");
        registry.AddBeforeCollectCallback(() =>
        {
            var counters = analyst.Counters();
            received.IncTo(counters.NavsReceived);
            duplicates.IncTo(counters.Duplicates);
            rate.Set(counters.NavsPerSecond);
            portfolios.Set(counters.Portfolios);
            sse.Set(clients.Connected);
            healthy.Set(analyst.Health().Healthy ? 1 : 0);
            foreach (var (partition, behind) in analyst.Lag())
                lag.WithLabels(partition).Set(behind);
        });
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }

    internal sealed record HealthDocument(string Status, string Detail);
}
