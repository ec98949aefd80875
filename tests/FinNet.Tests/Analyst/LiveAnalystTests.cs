using System.Text.Json.Nodes;
using FinNet.Analyst;
using FinNet.Investors;
using FinNet.Network;
using FinNet.Storage.Sqlite;
using FinNet.Tests.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace FinNet.Tests.Analyst;

/// <summary>
/// The live analyst following a store: after reading a run's store (in two polls, the second finding only what
/// the second run recorded), every portfolio's document equals the JSON report <c>finnet report</c> writes from the
/// same store, with the market index, another portfolio, and no benchmark.
/// </summary>
public sealed class LiveAnalystTests : IAsyncLifetime
{
    private static readonly InvestmentNetwork Network = NetworkFile.LoadDefault();
    private readonly TempDirectory _directory = new();

    private string Db => _directory.File("finnet.db");

    public async ValueTask InitializeAsync()
    {
        var run = await CliRunner.InvokeAsync("run", "--from", "2023-10-01", "--to", "2024-03-31", "--store", "sqlite:" + Db, "--reports", _directory.File("run"), "--format", "json");
        Assert.Equal(0, run.ExitCode);
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("market")]
    [InlineData("Inv2_P21")]
    [InlineData("none")]
    public async Task Following_a_store_gives_the_documents_the_report_writes(string benchmark)
    {
        var options = new AnalystOptions("", DatePeriod.DefaultStatisticsPeriod, Benchmark: benchmark, RiskFreeRate: 0.01);
        var live = new LiveAnalyst(Network, options);
        await using (var store = SqliteStore.Open(Db, mustExist: true))
        {
            var follower = new StoreFollower(store, live, NullLogger.Instance);
            await follower.PollAsync(CancellationToken.None);
            Assert.Equal(6L * 126, live.Counters().NavsReceived); // 130 weekdays 2023-10-02..2024-03-29, less 25 and 26 Dec, 1 Jan, 25 Mar
            await follower.PollAsync(CancellationToken.None);
            Assert.Equal(6L * 126, live.Counters().NavsReceived); // nothing new
        }

        // The same store extended by a resumed run: the next poll reads only the new days.
        var resumed = await CliRunner.InvokeAsync("run", "--from", "2023-10-01", "--to", "2024-06-30", "--store", "sqlite:" + Db, "--reports", _directory.File("resumed"), "--format", "json",
            "--benchmark", benchmark, "--rf", "0.01");
        Assert.Equal(0, resumed.ExitCode);
        await using (var store = SqliteStore.Open(Db, mustExist: true))
        {
            var follower = new StoreFollower(store, live, NullLogger.Instance);
            await follower.PollAsync(CancellationToken.None); // a new follower reads everything again: de-duplicated
        }
        var counters = live.Counters();
        Assert.Equal(6L * 190, counters.NavsReceived); // 64 more: 65 weekdays 2024-04-01..2024-06-28, less 1 May
        Assert.Equal(6L * 126, counters.Duplicates);
        Assert.Equal(new DateOnly(2024, 6, 28), counters.LatestDate);

        foreach (var portfolio in Network.Portfolios)
        {
            var written = JsonNode.Parse(File.ReadAllBytes(_directory.File($"resumed/{portfolio.Key}_stats.json")));
            var served = JsonNode.Parse(JsonReport.Render(live.Report(portfolio.Key)!));
            ReportTolerance.AssertEqual(written, served, portfolio.Key);
        }
        Assert.Null(live.Report("Inv9_P99"));
    }

    [Fact]
    public void A_portfolio_with_no_nav_yet_has_zero_days_and_null_dates()
    {
        var live = new LiveAnalyst(Network, new AnalystOptions("", DatePeriod.DefaultStatisticsPeriod));
        var document = JsonNode.Parse(JsonReport.Render(live.Report("Inv1_P11")!))!;
        Assert.Equal(0, document["days"]!.GetValue<int>());
        Assert.Null(document["first_date"]);
        Assert.Null(document["last_date"]);
        Assert.False(live.Health().Healthy);
    }

    [Fact]
    public void A_nav_whose_change_is_not_against_the_last_one_received_is_a_gap_and_makes_it_unhealthy()
    {
        var live = new LiveAnalyst(Network, new AnalystOptions("", DatePeriod.DefaultStatisticsPeriod, Benchmark: "none"));
        live.Receive([], [("Inv1_P11", new NavPoint(new DateOnly(2024, 3, 27), 100m, null, null)), ("Inv1_P11", new NavPoint(new DateOnly(2024, 3, 28), 101.5m, 1.5m, 1.5m))]);
        live.SourceReached();
        Assert.Equal((true, "ok"), live.Health());

        // 2024-03-29 is missing: the NAV of 2024-04-01 changed by 2 from 103.5, not from 101.5.
        live.Receive([], [("Inv1_P11", new NavPoint(new DateOnly(2024, 4, 1), 105.5m, 2m, 1.932367m))]);
        live.SourceReached();

        Assert.Equal((false, "gap: Inv1_P11 has no NAV between 2024-03-28 and 2024-04-01"), live.Health());
    }

    [Fact]
    public void Nav_events_are_numbered_split_and_replayed_after_a_last_event_id()
    {
        var live = new LiveAnalyst(Network, new AnalystOptions("", DatePeriod.DefaultStatisticsPeriod, Benchmark: "none"));
        var start = new DateOnly(2024, 1, 2);
        var navs = Enumerable.Range(0, 250).Select(i => ("Inv1_P11", new NavPoint(start.AddDays(i), 100m + i, i == 0 ? null : 1m, i == 0 ? null : 0.5m))).ToList();
        live.Receive([], navs);
        live.Receive([], navs.Take(3).ToList()); // re-delivered: no event

        Assert.Equal(3, live.Events.LastId); // 250 NAVs, 100 an event
        var missed = live.Events.After(1)!;
        Assert.Equal([2L, 3L], missed.Select(e => e.Id));
        var last = JsonNode.Parse(missed[1].Data)!.AsArray();
        Assert.Equal(50, last.Count);
        Assert.Equal("""{"portfolio":"Inv1_P11","date":"2024-09-07","nav_per_share":349,"change":1,"change_percent":0.5}""", last[^1]!.ToJsonString());
        Assert.Null(live.Events.After(4)); // from the future: start over
        Assert.Empty(live.Events.After(3)!);
        Assert.Equal(250, live.Counters().NavsReceived);
        Assert.Equal(3, live.Counters().Duplicates);
    }
}
