using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;
using FinNet.Recorder;
using FinNet.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace FinNet.Tests.Exchanges;

/// <summary>
/// One exchange slowed on purpose while the other publishes as fast as it can: the lockstep holds the fast one back,
/// so what the investors and the recorder buffer stays under its bound (counters, not memory or time), and the run
/// still records every row.
/// </summary>
public sealed class ExchangeLockstepTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_fast_exchange_waits_for_a_slow_one_and_buffers_stay_bounded()
    {
        var network = NetworkFile.LoadDefault();
        var (from, to) = (new DateOnly(2024, 1, 1), new DateOnly(2024, 6, 30));
        var model = PriceModels.Create(PriceModels.Gbm, 42);
        var bus = new InProcessBus(network.Investors.Select(i => i.Id), network.Stocks.Count() + network.Portfolios.Count, paced: true);
        var investors = network.Investors.Select(i => new InvestorService(i, new Dictionary<string, NavPoint>(), NullLogger.Instance, network: network)).ToList();
        await using var store = SqliteStore.Open(_directory.File("lockstep.db"));
        await store.CreateSchemaAsync(TestContext.Current.CancellationToken);
        await store.WriteReferenceDataAsync(network, TestContext.Current.CancellationToken);
        var recorder = new RecorderService(store, NullLogger.Instance);
        var lockstep = new ExchangeLockstep(network.Exchanges.Select(e => e.Id), from);
        var token = TestContext.Current.CancellationToken;

        var recording = recorder.RunAsync(bus, token);
        var valuing = investors.Select(i => Task.Run(() => i.RunAsync(bus, PriceSubscription.Of(i.Investor, network), token), token)).ToList();
        // SE1 as fast as it can; SE2 slowed by 3 ms a trading day (the slowness under test, not a wait for anything).
        var publishing = network.Exchanges.Select(e => Task.Run(() => new ExchangeService(e, model, TimeProvider.System, NullLogger.Instance)
            .RunAsync(bus, from, to, e.Id == "SE1" ? TimeSpan.Zero : TimeSpan.FromMilliseconds(3), token, lockstep), token)).ToList();
        await Task.WhenAll(publishing);
        bus.CompletePrices();
        await Task.WhenAll(valuing);
        bus.CompleteNavs();
        await recording;

        // H1 2024: 130 weekdays less 1 Jan, 25 Mar and 1 May.
        const int Days = 127;
        Assert.Equal((24L * Days, 6L * Days), (recorder.PricesRecorded, recorder.NavsRecorded));
        Assert.InRange(lockstep.LargestLeadDays, 0, ExchangeLockstep.MaxLeadDays);
        foreach (var investor in investors)
        {
            // At most the lead's calendar days (and the day in hand) of every stock the investor holds.
            var held = investor.Investor.Portfolios.SelectMany(p => p.Holdings).Select(h => h.Ticker).Distinct().Count();
            Assert.InRange(investor.PeakPendingPrices, 1, (ExchangeLockstep.MaxLeadDays + 1) * held);
        }
        Assert.InRange(bus.PeakRecorderRows, 1, bus.RecorderRowBound);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"largest lead {lockstep.LargestLeadDays} days; investors held at most {investors.Max(i => i.PeakPendingPrices)} prices; the recorder at most {bus.PeakRecorderRows} rows");
    }

    public void Dispose() => _directory.Dispose();
}
