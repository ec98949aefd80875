using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.IntegrationTests.Cli;

/// <summary>
/// Two runs with different seeds started together into one store, SQLite and MariaDB, with the second started
/// 0-40 ms after the first (seeded, so a failure can be replayed): exactly one proceeds, the other is refused
/// with the provenance error, and the store is the winner's lone run row for row. Twenty races in all.
/// </summary>
public sealed class ConcurrentRunTests(SharedMariaDb shared) : IDisposable
{
    private const string From = "2024-01-01";
    private const string To = "2024-02-29";
    private readonly TempDirectory _directory = new();

    private Task<CliRunner.Result> RunAsync(string store, long seed) =>
        CliRunner.InvokeAsync("run", "--from", From, "--to", To, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--store", store, "--reports", _directory.File("reports-" + Guid.NewGuid().ToString("N")));

    /// <summary>The dump of a lone run with <paramref name="seed"/>: what the store must equal when that run wins.</summary>
    private async Task<List<string>> LoneRunAsync(long seed)
    {
        var db = _directory.File($"lone-{seed}.db");
        Assert.Equal(0, (await RunAsync("sqlite:" + db, seed)).ExitCode);
        return CliRunner.Dump(db);
    }

    /// <summary>Races seed 42 against seed 7 into a store; returns the winner's seed after checking the loser's error.</summary>
    private async Task<long> RaceAsync(string store, string location, int offsetMs)
    {
        var first = Task.Run(() => RunAsync(store, 42));
        await Task.Delay(offsetMs, TestContext.Current.CancellationToken); // the start offset under test, not a wait for anything
        var second = Task.Run(() => RunAsync(store, 7));
        var results = new[] { (Seed: 42L, Result: await first), (Seed: 7L, Result: await second) };

        var winner = Assert.Single(results, r => r.Result.ExitCode == 0);
        var loser = Assert.Single(results, r => r.Result.ExitCode != 0);
        Assert.Equal(2, loser.Result.ExitCode);
        Assert.Equal(
            $"finnet: error: store {location} holds data produced with seed {winner.Seed} (this run: {loser.Seed}); use another store, or start it afresh with 'finnet run --reset'\n",
            loser.Result.Error);
        return winner.Seed;
    }

    [Fact]
    public async Task Of_two_runs_with_different_seeds_into_one_SQLite_store_exactly_one_proceeds()
    {
        var lone = new Dictionary<long, List<string>> { [42] = await LoneRunAsync(42), [7] = await LoneRunAsync(7) };
        var random = new Random(2026);
        var wins = new List<long>();

        for (var race = 0; race < 12; race++)
        {
            var db = _directory.File($"race-{race}.db");
            var winner = await RaceAsync("sqlite:" + db, "sqlite:" + db, random.Next(0, 41));
            Assert.Equal(lone[winner], CliRunner.Dump(db));
            wins.Add(winner);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"SQLite winners: {string.Join(' ', wins)}");
    }

    [Fact]
    public async Task Of_two_runs_with_different_seeds_into_one_MariaDB_database_exactly_one_proceeds()
    {
        var lone = new Dictionary<long, List<string>> { [42] = await LoneRunAsync(42), [7] = await LoneRunAsync(7) };
        var random = new Random(2027);
        var wins = new List<long>();

        for (var race = 0; race < 8; race++)
        {
            var database = MariaDbServer.NewDatabaseName();
            var winner = await RaceAsync(shared.Server.Uri(database), shared.Server.Display(database), random.Next(0, 41));
            Assert.Equal(lone[winner], CliRunner.Dump(sql => shared.Server.Query(database, sql)));
            wins.Add(winner);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"MariaDB winners: {string.Join(' ', wins)}");
    }

    public void Dispose() => _directory.Dispose();
}
