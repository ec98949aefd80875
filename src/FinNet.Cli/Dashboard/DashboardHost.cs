using FinNet.Analyst;
using FinNet.Cli.Output;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Dashboard;

/// <summary>
/// The live dashboard's web host (Kestrel, minimal APIs): the pages, the API over a <see cref="LiveAnalyst"/>,
/// its event stream, health and Prometheus metrics. A thin host: every figure comes from the analyst.
/// </summary>
internal static class DashboardHost
{
    public const string DefaultListen = "http://127.0.0.1:8080";

    /// <summary>Checks <c>--listen</c>: an http URL with a host and a port (0 picks a free one).</summary>
    public static Uri ParseListen(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || uri.Query != "")
            throw new InvalidInputException($"--listen: '{text}' is not an address to serve on; write http://HOST:PORT, e.g. {DefaultListen} (port 0 picks a free one)");
        return uri;
    }

    /// <summary>Starts serving; returns the running app and the URL it listens on (with the port it got).</summary>
    public static async Task<(WebApplication App, string Url)> StartAsync(LiveAnalyst analyst, Uri listen, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listen.GetLeftPart(UriPartial.Authority));
        // FinNet's own log format on stderr, at the command's level (Kestrel's start-up lines are information).
        builder.Logging.ClearProviders().AddFinNetConsole(logLevel);
        var app = builder.Build();
        var clients = new SseClients();
        PortfoliosApi.Map(app, analyst);
        EventsApi.Map(app, analyst, clients);
        HealthApi.Map(app, analyst, clients);
        Pages.Map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidInputException($"--listen {listen}: cannot serve there ({e.Message.TrimEnd('.')})", e);
        }
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, url);
    }
}
