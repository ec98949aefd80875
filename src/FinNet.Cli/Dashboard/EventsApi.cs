using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using FinNet.Analyst;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FinNet.Cli.Dashboard;

/// <summary>
/// <c>/api/events</c>: Server-Sent Events. Event <c>nav</c>: a JSON array of the NAVs that arrived
/// (<c>portfolio, date, nav_per_share, change, change_percent</c>), with increasing ids. A client that reconnects
/// with <c>Last-Event-ID</c> gets what it missed from the last <see cref="NavEvents.Held"/> events, or an event
/// <c>reset</c> when that is older (then it reloads). Each client reads the shared event log at its own pace, so a
/// slow one costs no memory: if it falls more than the log behind, it gets <c>reset</c> too.
/// </summary>
internal static class EventsApi
{
    public static void Map(IEndpointRouteBuilder app, LiveAnalyst analyst, SseClients clients)
    {
        app.MapGet("/api/events", (HttpContext context, CancellationToken cancellationToken) =>
        {
            long? lastSeen = long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), out var id) ? id : null;
            return TypedResults.ServerSentEvents(Stream(analyst.Events, clients, lastSeen, cancellationToken));
        });
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(NavEvents events, SseClients clients, long? lastSeen, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = clients.Connect();
        // A new client starts from now: the page loads the current figures from the API first.
        var seen = lastSeen ?? events.LastId;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (events.After(seen) is not { } missed)
            {
                seen = events.LastId;
                yield return new SseItem<string>($"{{\"last_id\":{seen}}}", "reset") { EventId = seen.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                continue;
            }
            foreach (var navEvent in missed)
            {
                seen = navEvent.Id;
                yield return new SseItem<string>(Encoding.UTF8.GetString(navEvent.Data), "nav") { EventId = seen.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }
            if (missed.Count == 0)
            {
                try
                {
                    await events.WaitAfterAsync(seen, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }
}

/// <summary>How many event-stream clients are connected (for <c>/metrics</c>).</summary>
internal sealed class SseClients
{
    private int _connected;

    public int Connected => Volatile.Read(ref _connected);

    public IDisposable Connect()
    {
        Interlocked.Increment(ref _connected);
        return new Disconnect(this);
    }

    private sealed class Disconnect(SseClients clients) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                Interlocked.Decrement(ref clients._connected);
        }
    }
}
