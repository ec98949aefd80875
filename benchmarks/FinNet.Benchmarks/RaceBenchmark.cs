using System.Diagnostics;
using System.Globalization;
using FinNet.Tests;
using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;

namespace FinNet.Benchmarks;

/// <summary>
/// The full-size variant of the tests' provenance races: runs of 2010-2024 with seeds 42 and 7 started 0-40 ms
/// apart into one fresh store, many times; counts the races with exactly one winner whose store equals its lone run.
/// </summary>
internal static class RaceBenchmark
{
    public static async Task<int> RunAsync(int races, bool mariadb)
    {
        using var directory = new TempDirectory();
        await using var server = mariadb ? await MariaDbServer.StartAsync() : null;
        Task<CliRunner.Result> Run(string store, long seed) => CliRunner.InvokeAsync("run", "--from", "2010-01-01", "--to", "2024-12-31",
            "--seed", seed.ToString(CultureInfo.InvariantCulture), "--store", store, "--reports", directory.File("r-" + Guid.NewGuid().ToString("N")), "--log-level", "none");
        List<string> Dump(string store, string database) =>
            server is null ? CliRunner.Dump(store["sqlite:".Length..]) : CliRunner.Dump(sql => server.Query(database, sql));

        var lone = new Dictionary<long, List<string>>();
        foreach (var seed in new long[] { 42, 7 })
        {
            var db = directory.File($"lone-{seed}.db");
            await Run("sqlite:" + db, seed);
            lone[seed] = CliRunner.Dump(db);
        }
        var random = new Random(2026);
        var (good, clock) = (0, Stopwatch.StartNew());
        for (var race = 0; race < races; race++)
        {
            var database = MariaDbServer.NewDatabaseName();
            var store = server?.Uri(database) ?? "sqlite:" + directory.File($"race-{race}.db");
            var first = Task.Run(() => Run(store, 42));
            await Task.Delay(random.Next(0, 41));
            var second = Task.Run(() => Run(store, 7));
            var results = new[] { (Seed: 42L, (await first).ExitCode), (Seed: 7L, (await second).ExitCode) };
            var winners = results.Where(r => r.ExitCode == 0).ToList();
            var ok = winners.Count == 1 && results.Count(r => r.ExitCode == 2) == 1 && lone[winners[0].Seed].SequenceEqual(Dump(store, database));
            good += ok ? 1 : 0;
            Console.WriteLine($"race {race + 1}: exits {results[0].ExitCode}/{results[1].ExitCode}, {(ok ? "one winner, store = its lone run" : "WRONG")}");
        }
        Console.WriteLine($"{good} of {races} races right ({(server is null ? "SQLite" : "MariaDB")}, 2010-2024, {clock.Elapsed.TotalSeconds:0.0} s)");
        return good == races ? 0 : 1;
    }
}
