using FinNet.Tests.Cli;
using FinNet.Tests.Fixtures;
using FinNet.Tests.Storage;

namespace FinNet.Tests.IntegrationTests.Cli;

/// <summary>
/// A run killed (SIGKILL) or stopped (SIGTERM) mid-way and run again ends with exactly the database of a run that
/// was never interrupted.
/// </summary>
public sealed class InterruptedRunTests : IDisposable
{
    private const string From = "2000-01-01";
    private const string To = "2000-12-31";
    private const int FullNavRows = 6 * 255; // six portfolios x 255 trading days: 2000 has 260 weekdays, 5 holidays fall on them (6 Jan, 1 May, 15 Aug, 25-26 Dec)
    private readonly TempDirectory _directory = new();

    private string Db => _directory.File("interrupted.db");

    private long CountNavs() => SqliteQuery.CountWhileRunning(Db, "PortfolioNavs");

    /// <summary>Starts a paced run (10 ms a day, ~2.6 s for the year) and waits until it has recorded some NAVs.</summary>
    private async Task<FinNetProcess> StartAndWaitForProgressAsync()
    {
        var process = FinNetProcess.Start("run", "--from", From, "--to", To, "--day-interval", "10ms", "--store", "sqlite:" + Db, "--reports", _directory.File("r1"));
        // Poll the store (a second reader, as WAL allows) until the run is visibly under way.
        await process.WaitUntilAsync(() => CountNavs() >= 60, "it could be interrupted");
        return process;
    }

    private async Task<List<string>> UninterruptedDumpAsync()
    {
        var db = _directory.File("uninterrupted.db");
        var result = await CliRunner.InvokeAsync("run", "--from", From, "--to", To, "--store", "sqlite:" + db, "--reports", _directory.File("r2"));
        Assert.Equal(0, result.ExitCode);
        return CliRunner.Dump(db);
    }

    [Fact]
    public async Task A_killed_run_run_again_equals_an_uninterrupted_run()
    {
        using (var process = await StartAndWaitForProgressAsync())
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        var atKill = CountNavs();

        var rerun = await CliRunner.InvokeAsync("run", "--from", From, "--to", To, "--store", "sqlite:" + Db, "--reports", _directory.File("r1"));

        Assert.InRange(atKill, 60, FullNavRows - 1);
        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(await UninterruptedDumpAsync(), CliRunner.Dump(Db));
    }

    [Fact]
    public async Task A_terminated_run_exits_130_consistent_and_resumes()
    {
        int exit;
        using (var process = await StartAndWaitForProgressAsync())
        {
            process.Terminate();
            exit = await process.WaitForExitAsync();
        }
        var atStop = CountNavs();

        var rerun = await CliRunner.InvokeAsync("run", "--from", From, "--to", To, "--store", "sqlite:" + Db, "--reports", _directory.File("r1"));

        Assert.Equal(130, exit);
        Assert.InRange(atStop, 60, FullNavRows - 1);
        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(await UninterruptedDumpAsync(), CliRunner.Dump(Db));
    }

    public void Dispose() => _directory.Dispose();
}
