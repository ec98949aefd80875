using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using FinNet.Network;
using Microsoft.Data.Sqlite;

namespace FinNet.Benchmarks;

/// <summary>
/// The live dashboard (<c>finnet serve</c>, <c>finnet run --serve</c>), each a new process of the CLI built beside
/// this benchmark:
/// (1) keeping up: the default network's full history as fast as it goes, with and without <c>--serve</c> (by
/// turns, 3 each), and how long after the run's end the dashboard holds every NAV;
/// (2) latency: a paced run (100 ms a day); this benchmark watches the store itself every 2 ms and listens to the
/// event stream, and reports, per trading day, the time from the day's NAVs being committed to their event;
/// (3) size: <c>finnet serve --store</c> over a generated 1,000-portfolio network's full history: time to load it and
/// the process's peak memory (and what that makes per NAV, for 10,000 portfolios).
/// </summary>
internal static class ServeBenchmark
{
    public static async Task<int> RunAsync(string which)
    {
        var work = Directory.CreateTempSubdirectory("finnet-serve-");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            if (which is "all" or "default")
                await KeepingUpAsync(work.FullName, http);
            if (which is "all" or "latency")
                await LatencyAsync(work.FullName, http);
            if (which is "all" or "size")
                await SizeAsync(work.FullName, http);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task KeepingUpAsync(string work, HttpClient http)
    {
        var (plain, served, behind) = (new List<double>(), new List<double>(), new List<double>());
        for (var round = 0; round < 3; round++)
        {
            var (exit, seconds) = await EmbeddedRunBenchmark.RunCliAsync("run", "--to", "2026-11-24", "--store", $"sqlite:{work}/plain{round}.db", "--reports", $"{work}/plain{round}");
            Check(exit, "run");
            plain.Add(seconds);

            using var process = Cli.Start("run", "--to", "2026-11-24", "--store", $"sqlite:{work}/served{round}.db", "--reports", $"{work}/served{round}", "--serve", "--listen", "http://127.0.0.1:0");
            var clock = Stopwatch.StartNew();
            var url = (await process.LineAsync(l => l.StartsWith("serving on ", StringComparison.Ordinal)))["serving on ".Length..];
            await process.LineAsync(l => l.StartsWith("still serving on ", StringComparison.Ordinal));
            var ran = clock.Elapsed.TotalSeconds;
            served.Add(ran);
            var navs = ScaleBenchmark.Count($"{work}/served{round}.db", "PortfolioNavs");
            while ((await Status(http, url))["navs_received"]!.GetValue<long>() < navs)
                await Task.Delay(5);
            behind.Add(clock.Elapsed.TotalSeconds - ran);
            process.Stop();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"default network, full history: run {Median(plain):0.00} s, run --serve {Median(served):0.00} s (medians of 3, by turns: {Join(plain)} / {Join(served)}); the dashboard had every NAV {Median(behind) * 1000:0} ms after the run's end (median; {Join(behind, 3)} s)"));
    }

    private static async Task LatencyAsync(string work, HttpClient http)
    {
        var db = $"{work}/paced.db";
        using var process = Cli.Start("run", "--from", "2024-01-01", "--to", "2024-03-31", "--day-interval", "100ms", "--store", "sqlite:" + db, "--reports", $"{work}/paced", "--serve", "--listen", "http://127.0.0.1:0");
        var url = (await process.LineAsync(l => l.StartsWith("serving on ", StringComparison.Ordinal)))["serving on ".Length..];
        var committed = new Dictionary<string, TimeSpan>();
        var evented = new Dictionary<string, TimeSpan>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();

        // The event stream: when each date's last NAV (of the six portfolios) arrived.
        var listening = Task.Run(async () =>
        {
            var seen = new Dictionary<string, int>();
            using var request = new HttpRequestMessage(HttpMethod.Get, url + "/api/events");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(stop.Token);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(stop.Token))
            {
                foreach (var nav in JsonNode.Parse(item.Data)!.AsArray())
                {
                    var date = nav!["date"]!.GetValue<string>();
                    if ((seen[date] = seen.GetValueOrDefault(date) + 1) == 6)
                        lock (evented)
                            evented[date] = clock.Elapsed;
                }
            }
        });
        // The store: when each date's six NAVs became visible (committed), watched every 2 ms.
        while (!process.Output.Any(l => l.StartsWith("still serving on ", StringComparison.Ordinal)))
        {
            try
            {
                using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT AsOf FROM PortfolioNavs GROUP BY AsOf HAVING COUNT(*) = 6";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    committed.TryAdd(reader.GetString(0), clock.Elapsed);
            }
            catch (SqliteException)
            {
                // not created yet
            }
            await Task.Delay(2);
        }
        while (true)
        {
            lock (evented)
            {
                if (committed.Keys.All(evented.ContainsKey))
                    break;
            }
            await Task.Delay(5);
        }
        await stop.CancelAsync();
        await listening.ContinueWith(_ => { }, TaskScheduler.Default);
        process.Stop();
        var latencies = committed.Select(c => (evented[c.Key] - c.Value).TotalMilliseconds).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"paced run (100 ms a day, {latencies.Count} days): store commit to the day's NAV event: median {latencies[latencies.Count / 2]:0} ms, 95th percentile {latencies[(int)(latencies.Count * 0.95)]:0} ms, max {latencies[^1]:0} ms (the poll is every 250 ms; the pages refresh at most every 300 ms on events)"));
    }

    private static async Task SizeAsync(string work, HttpClient http)
    {
        var network = $"{work}/size.json";
        await File.WriteAllBytesAsync(network, NetworkGenerator.Generate(2, 500, 100, 1_000, 30, 42));
        var db = $"{work}/size.db";
        // The run with its dashboard: does the dashboard keep up with 1,000 portfolios recorded as fast as they go?
        double ran, behind, runPeak;
        long navs;
        using (var run = Cli.Start("run", "--network", network, "--to", "2026-11-24", "--store", "sqlite:" + db, "--reports", $"{work}/size", "--format", "json", "--serve", "--listen", "http://127.0.0.1:0"))
        {
            var runClock = Stopwatch.StartNew();
            var runUrl = (await run.LineAsync(l => l.StartsWith("serving on ", StringComparison.Ordinal)))["serving on ".Length..];
            await run.LineAsync(l => l.StartsWith("still serving on ", StringComparison.Ordinal));
            ran = runClock.Elapsed.TotalSeconds;
            navs = ScaleBenchmark.Count(db, "PortfolioNavs");
            while ((await Status(http, runUrl))["navs_received"]!.GetValue<long>() < navs)
                await Task.Delay(5);
            behind = runClock.Elapsed.TotalSeconds - ran;
            runPeak = run.PeakMegabytes();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run --serve, 1,000 portfolios x 30 of 500 stocks, full history: {ran:0.0} s, the dashboard had every NAV {behind * 1000:0} ms after the run's end; peak RSS of the process (run, reports and dashboard) {runPeak:0} MB"));
        using var process = Cli.Start("serve", "--network", network, "--store", "sqlite:" + db, "--listen", "http://127.0.0.1:0");
        var clock = Stopwatch.StartNew();
        var url = (await process.LineAsync(l => l.StartsWith("serving on ", StringComparison.Ordinal)))["serving on ".Length..];
        while ((await Status(http, url))["navs_received"]!.GetValue<long>() < navs)
            await Task.Delay(20);
        var loaded = clock.Elapsed.TotalSeconds;
        var table = Stopwatch.StartNew();
        var rows = JsonNode.Parse(await http.GetStringAsync(url + "/api/portfolios"))!.AsArray().Count;
        var tableMs = table.Elapsed.TotalMilliseconds;
        var peak = process.PeakMegabytes();
        process.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"serve --store, 1,000 portfolios x 30 of 500 stocks, full history ({navs:N0} NAVs): loaded in {loaded:0.0} s ({navs / loaded:N0} NAVs/s), peak RSS {peak:0} MB ({peak * 1024 * 1024 / navs:0} bytes per NAV, so about {peak * 10 / 1024:0.0} GB for 10,000 portfolios); /api/portfolios ({rows:N0} rows) in {tableMs:0} ms"));
    }

    private static async Task<JsonNode> Status(HttpClient http, string url) => JsonNode.Parse(await http.GetStringAsync(url + "/api/status"))!;

    private static void Check(int exit, string what)
    {
        if (exit != 0)
            throw new InvalidOperationException($"{what} failed with exit code {exit}");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Join(List<double> values, int places = 2) =>
        string.Join(", ", values.Select(v => v.ToString("F" + places, CultureInfo.InvariantCulture)));

    /// <summary>A CLI process whose stdout lines are kept, to wait for the one that says it is serving or done.</summary>
    private sealed class Cli : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];

        private Cli(Process process) => _process = process;

        public IReadOnlyList<string> Output
        {
            get
            {
                lock (_lines)
                    return _lines.ToList();
            }
        }

        public static Cli Start(params string[] args)
        {
            var cli = new Cli(new Process { StartInfo = EmbeddedRunBenchmark.CliStartInfo(args) });
            cli._process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                    lock (cli._lines)
                        cli._lines.Add(line);
            };
            cli._process.ErrorDataReceived += (_, _) => { };
            cli._process.Start();
            cli._process.BeginOutputReadLine();
            cli._process.BeginErrorReadLine();
            return cli;
        }

        public async Task<string> LineAsync(Func<string, bool> match)
        {
            while (true)
            {
                if (Output.FirstOrDefault(match) is { } line)
                    return line;
                if (_process.HasExited)
                    throw new InvalidOperationException($"the process ended (exit {_process.ExitCode}) before the line it was waited for");
                await Task.Delay(2);
            }
        }

        public double PeakMegabytes() => ScaleBenchmark.PeakMegabytes(_process.Id);

        public void Stop()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Stop();
            _process.Dispose();
        }
    }
}
