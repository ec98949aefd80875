using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace FinNet.Tests.Fixtures;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol (a WebSocket on loopback): open a local file,
/// evaluate JavaScript in it, take a screenshot. Network access is off: every host name resolves to nothing and
/// every request goes to a proxy that does not exist, so a page that fetched anything would show it (only
/// 127.0.0.1 stays reachable when a test serves pages itself).
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<JsonNode> _events = [];
    private int _nextId;

    private HeadlessChromium(Process process, TempDirectory profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <param name="loopback">Whether pages may reach servers on 127.0.0.1 (a FinNet serving its dashboard); any other host stays unreachable.</param>
    public static async Task<HeadlessChromium> StartAsync(bool loopback = false)
    {
        var program = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium not found: the HTML report tests need Debian's chromium package (./test installs it when run as root; otherwise: sudo apt-get install chromium)");
        var profile = new TempDirectory();
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            loopback ? "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" : "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=http://127.0.0.1:9", loopback ? "--proxy-bypass-list=127.0.0.1" : "--proxy-bypass-list=<-loopback>",
            "--remote-debugging-port=0", $"--user-data-dir={profile.Path}", "--window-size=1100,900", "about:blank"])
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            // Chromium announces its DevTools endpoint on stderr: wait for that line.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? endpoint = null;
            while (endpoint is null)
            {
                var line = await process.StandardError.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"chromium exited ({process.ExitCode}) before it listened");
                if (line.StartsWith("DevTools listening on ", StringComparison.Ordinal))
                    endpoint = line["DevTools listening on ".Length..].Trim();
            }
            _ = DrainAsync(process.StandardError);
            await browser._socket.ConnectAsync(new Uri(endpoint), timeout.Token);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="path"/> in a new tab and waits for its load event.</summary>
    public Task<string> OpenAsync(string path) => OpenUrlAsync(new Uri(Path.GetFullPath(path)).AbsoluteUri);

    /// <summary>Opens <paramref name="url"/> (a file, or a server on loopback) in a new tab and waits for its load event.</summary>
    public async Task<string> OpenUrlAsync(string url)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true });
        var session = attached["sessionId"]!.GetValue<string>();
        await SendAsync("Page.enable", [], session);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, session);
        await WaitForEventAsync("Page.loadEventFired", session);
        return session;
    }

    /// <summary>Evaluates <paramref name="expression"/> (awaiting a promise) in the page and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string session, string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, session);
        if (result["exceptionDetails"] is { } error)
            throw new InvalidOperationException($"page script failed: {error.ToJsonString()}");
        return result["result"]!["value"];
    }

    /// <summary>
    /// Evaluates <paramref name="expression"/> until it returns true (a page that updates itself: figures arriving
    /// over its event stream), failing after a generous safety limit with <paramref name="what"/>.
    /// </summary>
    public async Task WaitUntilAsync(string session, string expression, string what)
    {
        var limit = TimeSpan.FromMinutes(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await EvaluateAsync(session, expression))?.GetValue<bool>() != true)
        {
            if (clock.Elapsed > limit)
                throw new TimeoutException($"not within {limit.TotalMinutes:0} minutes: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Lays the page out as on a screen <paramref name="width"/> x <paramref name="height"/> CSS pixels wide.</summary>
    public async Task SetViewportAsync(string session, int width, int height) =>
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, session);

    /// <summary>A PNG of the whole page, not only the window.</summary>
    public async Task<byte[]> ScreenshotAsync(string session)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, session);
        return Convert.FromBase64String(shot["data"]!.GetValue<string>());
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? session = null)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null)
            message["sessionId"] = session;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var reply = await ReceiveAsync();
            if (reply["id"]?.GetValue<int>() == id)
            {
                return reply["error"] is { } error
                    ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}")
                    : reply["result"]!;
            }
            if (reply["method"] is not null)
                _events.Add(reply);
        }
    }

    private async Task WaitForEventAsync(string method, string session)
    {
        bool Matches(JsonNode e) => e["method"]?.GetValue<string>() == method && e["sessionId"]?.GetValue<string>() == session;
        while (!_events.Any(Matches))
            _events.Add(await ReceiveAsync());
        _events.RemoveAll(Matches);
    }

    private async Task<JsonNode> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        WebSocketReceiveResult received;
        do
        {
            received = await _socket.ReceiveAsync(chunk, timeout.Token);
            buffer.Write(chunk, 0, received.Count);
        }
        while (!received.EndOfMessage);
        return JsonNode.Parse(buffer.ToArray())!;
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
            // chromium's own log lines (dbus warnings and the like) are not the test's business
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _profile.Dispose();
    }
}
