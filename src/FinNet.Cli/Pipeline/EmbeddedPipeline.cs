using System.Diagnostics;
using System.Runtime.ExceptionServices;
using FinNet.Analyst;
using FinNet.Cli.Output;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Messaging.Kafka;
using FinNet.Network;
using FinNet.Recorder;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Pipeline;

/// <summary>What a run did, for the summary.</summary>
internal sealed record RunOutcome(
    string Store,
    string ReportsDirectory,
    DateOnly? Start,
    DateOnly To,
    long PricesRecorded,
    long NavsRecorded,
    TimeSpan Elapsed,
    TimeSpan Recording,
    IReadOnlyList<PortfolioSummary> Reports,
    ReportFormats Formats,
    string FormatsWhy);

/// <summary>
/// Wires the stages of <c>finnet run</c> together on the in-process bus and drains them in stage order:
/// exchanges finish, then investors, then the recorder; then the analyst reads what was stored.
/// </summary>
internal static class EmbeddedPipeline
{
    public static async Task<RunOutcome> RunAsync(RunSettings settings, InvestmentNetwork network, CliConsole console, ILoggerFactory logging, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var model = PriceModels.Create(settings.Model, settings.Seed);
        var logger = logging.CreateLogger("FinNet.Run");

        // The charts' library starts slowly (JIT, fonts): warm it up on the side while the pipeline runs.
        var warmUp = Task.Run(ReportCharts.WarmUp, stop);
        // Kafka first: a cluster that cannot be reached or a bad setting is found before the store is touched.
        using var kafka = settings.Kafka is { } kafkaSettings
            ? await KafkaBus.ConnectAsync(kafkaSettings, network, logging.CreateLogger<KafkaBus>(), stop)
            : null;
        await using var store = Stores.Open(settings.Store, logging);
        var start = await PrepareStoreAsync(store, network, settings, logger, stop);
        long prices = 0, navs = 0;
        var recording = TimeSpan.Zero;
        if (start is { } first)
        {
            var lastNavs = await store.ReadLastNavsBeforeAsync(first, stop);
            IMessageBus bus = kafka ?? (IMessageBus)new InProcessBus(
                network.Investors.Select(i => i.Id), network.Stocks.Count() + network.Portfolios.Count, paced: settings.DayInterval > TimeSpan.Zero);
            var exchanges = network.Exchanges.Select(e => new ExchangeService(e, model, TimeProvider.System, logging.CreateLogger<ExchangeService>())).ToList();
            var lastValues = LastValues(network, model, lastNavs);
            var investors = network.Investors.Select(i => new InvestorService(i, lastNavs, logging.CreateLogger<InvestorService>(), lastValues, network)).ToList();
            var recorder = new RecorderService(store, logging.CreateLogger<RecorderService>());

            // A failing stage cancels the others, so nobody waits forever on a channel that will never move.
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var drain = Stopwatch.StartNew(); // from the first publish to the last commit: what rows/s is measured over
            var pipeline = DrainAsync(bus, network, exchanges, investors, recorder, first, settings, failed);
            await RunProgress.ShowAsync(console, pipeline, () => new RunProgress.Snapshot(
                exchanges.Min(e => e.LastPublishedDate) ?? first, recorder.LastRecordedDate, first, settings.To,
                exchanges.Sum(e => e.PricesPublished), recorder.PricesRecorded, recorder.NavsRecorded, clock.Elapsed));
            await pipeline;
            (prices, navs) = (recorder.PricesRecorded, recorder.NavsRecorded);
            recording = drain.Elapsed;
        }

        await warmUp;
        var analyst = new AnalystService(store, network, logging.CreateLogger<AnalystService>());
        var (options, why) = settings.Analyst(network.Portfolios.Count);
        var reports = await analyst.WriteReportsAsync(options, null, stop);
        return new RunOutcome(store.Location, settings.Reports, start, settings.To, prices, navs, clock.Elapsed, recording, reports, options.Formats, why);
    }

    /// <summary>
    /// Checks the store against this run and returns the first day to publish, or null when the store already
    /// holds the whole range. Nothing is written before the checks pass.
    /// </summary>
    private static async Task<DateOnly?> PrepareStoreAsync(IFinNetStore store, InvestmentNetwork network, RunSettings settings, ILogger logger, CancellationToken stop)
    {
        if (settings.Reset)
        {
            await store.ResetAsync(stop);
            Log.StoreReset(logger, store.Location);
        }
        StoredRange stored = new(null, null);
        await Stores.PrepareAsync(store, network, new RunProvenance(settings.Seed, settings.Model, network.Fingerprint), stop, async () =>
        {
            var firstTradingDay = network.Exchanges.Min(e => e.Calendar.OnOrAfter(settings.From));
            stored = await store.ReadStoredRangeAsync(network, stop);
            if (stored.FirstDate is { } storedFirst && firstTradingDay < storedFirst)
            {
                throw new InvalidInputException(
                    $"store {store.Location} begins on {storedFirst:yyyy-MM-dd}; a run cannot extend it back to {settings.From:yyyy-MM-dd} (use --reset to start afresh)");
            }
        });

        var start = settings.From;
        if (stored.CompleteThrough is { } through && through >= settings.From)
        {
            start = through.AddDays(1);
            Log.Resuming(logger, store.Location, through, start);
        }
        return start <= settings.To ? start : null;
    }

    /// <summary>
    /// Each resumed portfolio's whole value on its last stored NAV's date, which the store does not keep (it keeps
    /// NAV per share): recomputed from the price model, whose prices the store holds (its provenance says so).
    /// </summary>
    private static Dictionary<string, decimal> LastValues(InvestmentNetwork network, IPriceModel model, IReadOnlyDictionary<string, NavPoint> lastNavs)
    {
        var closes = new Dictionary<(string Ticker, DateOnly Date), decimal>();
        decimal Close(string ticker, DateOnly date)
        {
            if (!closes.TryGetValue((ticker, date), out var close))
            {
                var stock = network.FindStock(ticker)!;
                closes[(ticker, date)] = close = model.Closes(stock, network.GetExchange(stock.ExchangeId).Calendar, date, date).Single().Price;
            }
            return close;
        }

        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var portfolio in network.Portfolios)
        {
            if (lastNavs.TryGetValue(portfolio.Key, out var last))
                values[portfolio.Key] = PortfolioValuer.WholeValue(portfolio, portfolio.Holdings.ToDictionary(h => h.Ticker, h => Close(h.Ticker, last.AsOf)));
        }
        return values;
    }

    private static async Task DrainAsync(
        IMessageBus bus, InvestmentNetwork network, List<ExchangeService> exchanges, List<InvestorService> investors, RecorderService recorder,
        DateOnly start, RunSettings settings, CancellationTokenSource failed)
    {
        var token = failed.Token;
        var recording = Guard(recorder.RunAsync(bus, token), failed);
        // Valuation runs on one thread fewer than the cores, leaving one to the recorder, which sets the pace. SQLite
        // writes synchronously, so the pool takes the recorder's thread for a blocked one and adds threads; the
        // investors then ran on three or more threads of 2 cores and the recorder had 70-75% of a core (per-thread
        // CPU, /proc). 10,000 portfolios x 30 of 1,000 stocks, 2020-2021, 3 runs by turns: 344k-361k against
        // 276k-292k rows/s, with less CPU in all (34-36 s against 37 s). The investors' awaits resume on this
        // scheduler, so the limit holds for their whole run, not only their start.
        var valuation = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, Math.Max(1, Environment.ProcessorCount - 1)).ConcurrentScheduler;
        var valuing = investors.Select(i => Guard(Task.Factory.StartNew(
            () => i.RunAsync(bus, PriceSubscription.Of(i.Investor, network), token), token, TaskCreationOptions.DenyChildAttach, valuation).Unwrap(), failed)).ToList();
        var lockstep = new ExchangeLockstep(exchanges.Select(e => e.Exchange.Id), start);
        var publishing = exchanges.Select(e => Guard(Task.Run(() => e.RunAsync(bus, start, settings.To, settings.DayInterval, token, lockstep), token), failed)).ToList();

        try
        {
            await Task.WhenAll(publishing);
            bus.CompletePrices();
            await Task.WhenAll(valuing);
            bus.CompleteNavs();
            await recording;
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // Either the user stopped the run, or a stage failed and cancelled the rest: then its error is the news.
            Task[] all = [recording, .. valuing, .. publishing];
            try
            {
                await Task.WhenAll(all);
            }
            catch (Exception) when (all.All(t => t.IsCompleted))
            {
                var cause = all.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException);
                if (cause is not null)
                    ExceptionDispatchInfo.Throw(cause);
            }
            throw;
        }
    }

    private static async Task Guard(Task stage, CancellationTokenSource failed)
    {
        try
        {
            await stage;
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
    }
}
