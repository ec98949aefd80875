using System.Diagnostics;
using System.Globalization;
using System.Text;
using FinNet.Messaging;
using FinNet.Network;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace FinNet.Benchmarks;

/// <summary>
/// FinNet at real sizes, each into a fresh SQLite store: the default network's full history (5 runs, median), then
/// generated networks (a) 2 exchanges, 500 stocks, 100 investors, 1,000 portfolios x 30 holdings, full history and
/// (b) 2 exchanges, 1,000 stocks, 1,000 investors, 10,000 portfolios x 30 holdings, 2020-01-01..2026-11-24. Prints
/// rows, wall time, rows/s over the recording, peak RSS (VmHWM of the process), the analyst's NAV rows/s (text +
/// JSON), and beside them the bare SQLite rate of as many rows measured in the same run (plain INSERTs into tables
/// of the same shape, one transaction, WAL), so the ratio holds on a noisy machine, and SQLite's best for those
/// rows: the same rows written the way FinNet's store writes them, with nothing of FinNet around it (the ceiling of
/// the rows/s FinNet can record into that table). Every run is ./finnet as a user types it.
/// </summary>
internal static class ScaleBenchmark
{
    public static async Task<int> RunAsync(string which)
    {
        var work = Directory.CreateTempSubdirectory("finnet-scale-");
        try
        {
            await RunAsync(work.FullName, "build", "--help"); // ./finnet builds itself when sources changed: not timed
            if (which is "all" or "default")
                await DefaultNetworkAsync(work.FullName);
            if (which is "all" or "a")
                await GeneratedAsync(work.FullName, "a", 500, 100, 1_000, "2000-01-01");
            if (which is "all" or "b")
                await GeneratedAsync(work.FullName, "b", 1_000, 1_000, 10_000, "2020-01-01");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task DefaultNetworkAsync(string work)
    {
        var seconds = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var (_, wall, _, _) = await RunAsync(work, $"default{i}", "run", "--to", "2026-11-24", "--store", $"sqlite:{work}/default{i}.db", "--reports", $"{work}/default{i}");
            seconds.Add(wall);
        }
        seconds.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"default network, full history, ./finnet run as typed: median {seconds[2]:0.00} s of 5 ({string.Join(", ", seconds.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))})"));
    }

    private static async Task GeneratedAsync(string work, string name, int stocks, int investors, int portfolios, string from)
    {
        var network = Path.Combine(work, $"{name}.json");
        await File.WriteAllBytesAsync(network, NetworkGenerator.Generate(2, stocks, investors, portfolios, 30, 42));
        var db = Path.Combine(work, $"{name}.db");
        var (output, wall, peak, _) = await RunAsync(work, name, "run", "--network", network, "--from", from, "--to", "2026-11-24", "--store", "sqlite:" + db, "--reports", Path.Combine(work, name));
        var recorded = output.FirstOrDefault(l => l.StartsWith("Recorded ", StringComparison.Ordinal)) ?? "(no summary)";
        var (prices, navs) = (Count(db, "StockPrices"), Count(db, "PortfolioNavs"));
        var (_, reportWall, reportPeak, _) = await RunAsync(work, name + "-report", "report", "--network", network, "--store", "sqlite:" + db, "--reports", Path.Combine(work, name + "-report"), "--format", "text,json");
        var bare = BareInsertRate(Path.Combine(work, $"{name}-bare.db"), prices, navs, stocks, portfolios);
        var (best, daysPerBatch) = StoreWritePatternRate(Path.Combine(work, $"{name}-best.db"), prices, navs, stocks, portfolios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"({name}) {portfolios:N0} portfolios x 30 of {stocks:N0} stocks, {from}..2026-11-24: {prices + navs:N0} rows ({prices:N0} prices, {navs:N0} NAVs) in {wall:0.0} s wall, peak RSS {peak:0} MB"));
        Console.WriteLine($"    {recorded}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    analyst (text + JSON): {navs / reportWall:N0} NAV rows/s ({reportWall:0.0} s, peak RSS {reportPeak:0} MB); bare SQLite inserts of as many rows: {bare:N0} rows/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    SQLite's best for these rows (FinNet's write pattern, {daysPerBatch} days a commit, nothing else running): {best:N0} rows/s; FinNet recorded at {RecordedRate(recorded) / best:P0} of it"));
    }

    /// <summary>The rows/s of a run's "Recorded ... (N rows/s)" line, 0 if it has none.</summary>
    private static double RecordedRate(string recorded)
    {
        var open = recorded.LastIndexOf('(');
        var end = recorded.IndexOf(" rows/s", open + 1, StringComparison.Ordinal);
        return open < 0 || end < 0 ? 0 : double.Parse(recorded[(open + 1)..end], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The ceiling: as many rows as the run stored, written the way SqliteStore writes a batch, with nothing of
    /// FinNet around it (no exchanges, investors or queues competing for the two cores). Its settings (WAL,
    /// synchronous=NORMAL, a 64 MiB cache, checkpoints every 16,384 pages), one INSERT ... ON CONFLICT DO NOTHING
    /// prepared per batch and bound through SQLitePCLRaw, a commit per batch of whole days of every series as many as
    /// InProcessBus puts in one (<see cref="InProcessBus.BatchRows"/>), and within a batch the rows series by series
    /// in key order. Returns the rows/s and the days a commit.
    /// </summary>
    private static (double RowsPerSecond, int DaysPerBatch) StoreWritePatternRate(string path, long prices, long navs, int pricesPerDay, int navsPerDay)
    {
        using var connection = OpenBareStore(path, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=16384;");
        var handle = connection.Handle!;
        var rowsPerDay = pricesPerDay + navsPerDay;
        var daysPerBatch = Math.Max(1, InProcessBus.BatchRows(rowsPerDay) / rowsPerDay);
        // The series in the store's key order (ordinal), as SqliteStore sorts a batch's rows.
        var tickers = Enumerable.Range(0, pricesPerDay).Select(k => Encoding.UTF8.GetBytes($"S{k:00000}")).ToArray();
        var portfolios = Enumerable.Range(0, navsPerDay).Select(k => (Investor: $"Inv{k / 10}", Portfolio: $"P{k}"))
            .OrderBy(p => p.Investor, StringComparer.Ordinal).ThenBy(p => p.Portfolio, StringComparer.Ordinal)
            .Select(p => (Encoding.UTF8.GetBytes(p.Investor), Encoding.UTF8.GetBytes(p.Portfolio))).ToArray();
        var (price, nav, change, percent, exchange) = ("123.450000"u8.ToArray(), "1000.123456"u8.ToArray(), "0.100000"u8.ToArray(), "0.010000"u8.ToArray(), "SE1"u8.ToArray());
        static void Step(sqlite3 handle, sqlite3_stmt statement)
        {
            if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
                throw new InvalidOperationException(raw.sqlite3_errmsg(handle).utf8_to_string());
            raw.sqlite3_reset(statement);
        }

        var clock = Stopwatch.StartNew();
        var start = new DateOnly(2000, 1, 3);
        var days = (int)Math.Max(prices / pricesPerDay, navs / navsPerDay);
        long doneP = 0, doneN = 0;
        for (var first = 0; first < days; first += daysPerBatch)
        {
            var dates = Enumerable.Range(first, Math.Min(daysPerBatch, days - first))
                .Select(d => Encoding.UTF8.GetBytes(start.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).ToArray();
            raw.sqlite3_exec(handle, "BEGIN");
            raw.sqlite3_prepare_v2(handle, "INSERT INTO StockPrices (Ticker, AsOf, Price, Exchange) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (Ticker, AsOf) DO NOTHING", out var insertPrice);
            raw.sqlite3_prepare_v2(handle, """
                INSERT INTO PortfolioNavs (iid, pid, AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (iid, pid, AsOf) DO NOTHING
                """, out var insertNav);
            using (insertPrice)
            using (insertNav)
            {
                // A run stores whole days (every series every day), so the counts are whole days of each.
                foreach (var ticker in tickers)
                {
                    for (var d = 0; d < dates.Length && doneP < prices; d++, doneP++)
                    {
                        raw.sqlite3_bind_text(insertPrice, 1, ticker);
                        raw.sqlite3_bind_text(insertPrice, 2, dates[d]);
                        raw.sqlite3_bind_text(insertPrice, 3, price);
                        raw.sqlite3_bind_text(insertPrice, 4, exchange);
                        Step(handle, insertPrice);
                    }
                }
                foreach (var (investor, portfolio) in portfolios)
                {
                    for (var d = 0; d < dates.Length && doneN < navs; d++, doneN++)
                    {
                        raw.sqlite3_bind_text(insertNav, 1, investor);
                        raw.sqlite3_bind_text(insertNav, 2, portfolio);
                        raw.sqlite3_bind_text(insertNav, 3, dates[d]);
                        raw.sqlite3_bind_text(insertNav, 4, nav);
                        raw.sqlite3_bind_text(insertNav, 5, change);
                        raw.sqlite3_bind_text(insertNav, 6, percent);
                        Step(handle, insertNav);
                    }
                }
            }
            raw.sqlite3_exec(handle, "COMMIT");
        }
        return ((doneP + doneN) / clock.Elapsed.TotalSeconds, daysPerBatch);
    }

    /// <summary>The rows of <paramref name="table"/> in the SQLite store at <paramref name="db"/>, read-only.</summary>
    internal static long Count(string db, string table)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Runs ./finnet; returns its stdout lines, wall time, and peak RSS in MB (VmHWM, read until it exits).</summary>
    private static async Task<(List<string> Output, double Seconds, double PeakMegabytes, int Exit)> RunAsync(string work, string label, params string[] args)
    {
        var info = EmbeddedRunBenchmark.CliStartInfo(args);
        info.WorkingDirectory = work;
        var output = new List<string>();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (output) output.Add(line); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var peak = 0.0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakMegabytes(process.Id));
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(200));
        }
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            Console.Error.WriteLine($"{label}: exit code {process.ExitCode}");
        return (output, clock.Elapsed.TotalSeconds, peak, process.ExitCode);
    }

    /// <summary>The process's peak resident set so far (VmHWM), 0 once it is gone.</summary>
    internal static double PeakMegabytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// A new SQLite database at <paramref name="path"/> with <paramref name="pragmas"/> applied and the two tables a
    /// run fills, in the store's shape (StockPrices and PortfolioNavs, WITHOUT ROWID), for the baselines.
    /// </summary>
    private static SqliteConnection OpenBareStore(string path, string pragmas)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var setup = connection.CreateCommand();
        setup.CommandText = pragmas + """

            CREATE TABLE StockPrices (Ticker TEXT NOT NULL, AsOf TEXT NOT NULL, Price TEXT NOT NULL, Exchange TEXT NOT NULL, PRIMARY KEY (Ticker, AsOf)) WITHOUT ROWID;
            CREATE TABLE PortfolioNavs (iid TEXT NOT NULL, pid TEXT NOT NULL, AsOf TEXT NOT NULL, NAVperShare TEXT NOT NULL,
                DailyNAVChange TEXT, DailyNAVChangePercent TEXT, PRIMARY KEY (iid, pid, AsOf)) WITHOUT ROWID;
            """;
        setup.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// The baseline: as many rows as the run stored, inserted plainly (Microsoft.Data.Sqlite, one prepared INSERT per
    /// table, one transaction, WAL) into tables of the same shape, in date order as a run produces them.
    /// </summary>
    private static double BareInsertRate(string path, long prices, long navs, int pricesPerDay, int navsPerDay)
    {
        using var connection = OpenBareStore(path, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        var clock = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        using var price = connection.CreateCommand();
        price.CommandText = "INSERT INTO StockPrices VALUES ($t, $d, $p, 'SE1')";
        var (t, d, p) = (price.Parameters.Add("$t", SqliteType.Text), price.Parameters.Add("$d", SqliteType.Text), price.Parameters.Add("$p", SqliteType.Text));
        using var nav = connection.CreateCommand();
        nav.CommandText = "INSERT INTO PortfolioNavs VALUES ($i, $q, $d, $n, '0.100000', '0.010000')";
        var (i, q, nd, n) = (nav.Parameters.Add("$i", SqliteType.Text), nav.Parameters.Add("$q", SqliteType.Text), nav.Parameters.Add("$d", SqliteType.Text), nav.Parameters.Add("$n", SqliteType.Text));
        var date = new DateOnly(2000, 1, 3);
        long doneP = 0, doneN = 0;
        // Day by day, as a run produces them: this day's prices, then its NAVs.
        var (perDayP, perDayN) = (pricesPerDay, navsPerDay);
        while (doneP < prices || doneN < navs)
        {
            var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            for (var k = 0; k < perDayP && doneP < prices; k++, doneP++)
            {
                (t.Value, d.Value, p.Value) = ($"S{k:00000}", day, "123.450000");
                price.ExecuteNonQuery();
            }
            for (var k = 0; k < perDayN && doneN < navs; k++, doneN++)
            {
                (i.Value, q.Value, nd.Value, n.Value) = ($"Inv{k / 10}", $"P{k}", day, "1000.123456");
                nav.ExecuteNonQuery();
            }
            date = date.AddDays(1);
        }
        transaction.Commit();
        return (prices + navs) / clock.Elapsed.TotalSeconds;
    }
}
