using System.Threading.Channels;
using FinNet.Exchanges;
using FinNet.Investors;

namespace FinNet.Messaging;

/// <summary>
/// The embedded bus: bounded channels in one process. Every investor and the recorder gets its own copy of the
/// price stream (a consumer group each, as on Kafka); NAVs go to the recorder. Channels keep each publisher's
/// order, and their bounds keep memory flat however long the history.
/// </summary>
/// <remarks>
/// A stream ends when its publishers say so: the run calls <see cref="CompletePrices"/> once every exchange is
/// done and <see cref="CompleteNavs"/> once every investor has drained, so the pipeline drains in stage order.
/// </remarks>
public sealed class InProcessBus : IMessageBus
{
    // An investor's inbox holds whole trading days of one exchange: at most this many, so an investor buffers at
    // most Capacity x (stocks of an exchange) prices in its inbox (256 x 500 = 128,000 for 1,000 stocks on two
    // exchanges; the day lists are shared by every inbox and the recorder's, not copied).
    private const int Capacity = 256;

    // A store commit costs about what the pages it touches cost, and a NAV table keyed by portfolio receives each
    // day's rows on one leaf page per portfolio: a commit rewrites a page per series (portfolio or ticker) whatever
    // its size. So the recorder gathers RowsPerSeries days of every series per commit. Measured on 10,000 series
    // x 200 days (plain inserts in key order, 64 MiB cache): 5 days a commit 145k rows/s, 20 days 259k, 40 days 290k,
    // 100 days 354k; the pipeline at 250 ms batches (~25k rows, 2.5 days) recorded 98k rows/s and wrote 1.1 KB of
    // WAL per row.
    private const int RowsPerSeries = 32;
    // ...at least MinBatchRows (a small network: a commit's fixed cost, ~0.4 ms in WAL mode, amortised; measured on
    // the default network: 1 day per commit 55k rows/s, 20 days 190k) and at most MaxBatchRows, which with the
    // rows queued behind the batch bounds the recorder's memory (2 x 400,000 rows of ~150 bytes: ~120 MB at most).
    // Twice the days (64, at most 800,000 rows) was tried on 10,000 portfolios x 30 of 1,000 stocks, 2020-2026 (the
    // scale benchmark's b): SQLite alone went from 334k to 413k rows/s, but the run recorded 220k rows/s against 228k
    // and peaked at 873 MB against 679 MB. That was measured while the investors still shared the recorder's core
    // (the recorder ran about 75% of the time; see EmbeddedPipeline's valuation scheduler, which since gives it a
    // core of its own), so larger batches may pay now; not measured again.
    private const int MinBatchRows = 50_000;
    private const int MaxBatchRows = 400_000;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);

    // A paced run (--day-interval) never leaves its quiet 20 ms and would record nothing until a batch had trickled
    // in: it records what it has once a batch has gathered this long. An unpaced run is never held back by age, so
    // its batches reach their size (a 250 ms age cut them to a tenth of it at 10,000 portfolios).
    private static readonly TimeSpan PacedBatchAge = TimeSpan.FromMilliseconds(250);

    private readonly int _batchRows;
    private readonly TimeSpan _maxBatchAge;
    private readonly Dictionary<string, Channel<IReadOnlyList<PriceQuote>>> _investorInboxes;
    // Bounded by the row budget, not by a count of messages: an investor's NAVs of a day are a message of a few
    // rows, and 4,096 of them (the bound this had) stopped every investor ~40,000 rows into each commit of a
    // 10,000-portfolio run, leaving a core idle for most of the commit.
    private readonly Channel<object> _recorderInbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    private readonly RowBudget _recorderRows;

    /// <summary>
    /// The most rows queued for the recorder or in its batch at once (one message more only when it comes alone):
    /// a batch being committed and the next one gathering behind it.
    /// </summary>
    public int RecorderRowBound => 2 * _batchRows;

    /// <summary>The rows of one recorder batch (one store commit) for a network whose trading day brings <paramref name="rowsPerDay"/> rows.</summary>
    public static int BatchRows(int rowsPerDay) => (int)Math.Clamp((long)rowsPerDay * RowsPerSeries, MinBatchRows, MaxBatchRows);

    /// <summary>The most rows ever queued for the recorder or in its batch at once (at most <see cref="RecorderRowBound"/>).</summary>
    public int PeakRecorderRows => _recorderRows.Peak;

    /// <param name="investorIds">Each investor gets its own copy of the price stream.</param>
    /// <param name="rowsPerDay">Rows a trading day brings (prices + NAVs): a batch takes <see cref="RowsPerSeries"/> days of them.</param>
    /// <param name="paced">Whether the exchanges wait between days (<c>--day-interval</c>): batches are then also cut by age.</param>
    public InProcessBus(IEnumerable<string> investorIds, int rowsPerDay, bool paced)
    {
        _batchRows = BatchRows(rowsPerDay);
        _maxBatchAge = paced ? PacedBatchAge : TimeSpan.MaxValue;
        _recorderRows = new RowBudget(RecorderRowBound);
        _investorInboxes = investorIds.ToDictionary(
            id => id,
            _ => Channel.CreateBounded<IReadOnlyList<PriceQuote>>(
                new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }));
    }

    public async Task PublishTradingDayAsync(string exchangeId, DateOnly date, IReadOnlyList<PriceQuote> closes, CancellationToken cancellationToken)
    {
        foreach (var inbox in _investorInboxes.Values)
            await inbox.Writer.WriteAsync(closes, cancellationToken);
        await _recorderRows.TakeAsync(closes.Count, cancellationToken);
        await _recorderInbox.Writer.WriteAsync(closes, cancellationToken);
    }

    public async Task ProcessPricesAsync(PriceSubscription subscription, Func<IReadOnlyList<PriceQuote>, IReadOnlyList<NavUpdate>> valuer, CancellationToken cancellationToken)
    {
        var inbox = _investorInboxes[subscription.InvestorId].Reader;
        while (await inbox.WaitToReadAsync(cancellationToken))
        {
            while (inbox.TryRead(out var day))
            {
                var navs = valuer(day);
                if (navs.Count > 0)
                {
                    await _recorderRows.TakeAsync(navs.Count, cancellationToken);
                    await _recorderInbox.Writer.WriteAsync(navs, cancellationToken);
                }
            }
        }
    }

    public async Task ConsumeForRecordingAsync(Func<RecordBatch, Task<RecordBatch>> record, CancellationToken cancellationToken)
    {
        var inbox = _recorderInbox.Reader;
        while (await inbox.WaitToReadAsync(cancellationToken))
        {
            var prices = new List<PriceQuote>();
            var navs = new List<NavUpdate>();
            Drain(inbox, prices, navs);
            var gathering = System.Diagnostics.Stopwatch.StartNew();
            while (prices.Count + navs.Count < _batchRows && gathering.Elapsed < _maxBatchAge && await MoreWithinLingerAsync(inbox, cancellationToken))
                Drain(inbox, prices, navs);
            // Not cancellable once taken: the batch is committed whole, so an interrupted run leaves a consistent store.
            // In one process every message comes from FinNet's own stages: nothing is refused (the recorder logs it if so).
            await record(new RecordBatch(prices, navs));
            _recorderRows.Return(prices.Count + navs.Count);
        }
    }

    /// <summary>
    /// A budget of rows in flight: taking waits while the rows would exceed it (unless nothing is in flight, so a
    /// message larger than the budget still passes alone); returning wakes the waiters.
    /// </summary>
    private sealed class RowBudget(int limit)
    {
        private readonly Lock _lock = new();
        private int _inFlight;
        private TaskCompletionSource _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Peak { get; private set; }

        public async ValueTask TakeAsync(int rows, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task returned;
                lock (_lock)
                {
                    if (_inFlight == 0 || _inFlight + rows <= limit)
                    {
                        _inFlight += rows;
                        Peak = Math.Max(Peak, _inFlight);
                        return;
                    }
                    returned = _returned.Task;
                }
                await returned.WaitAsync(cancellationToken);
            }
        }

        public void Return(int rows)
        {
            TaskCompletionSource returned;
            lock (_lock)
            {
                _inFlight -= rows;
                returned = _returned;
                _returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            returned.SetResult();
        }
    }

    private void Drain(ChannelReader<object> inbox, List<PriceQuote> prices, List<NavUpdate> navs)
    {
        while (prices.Count + navs.Count < _batchRows && inbox.TryRead(out var message))
        {
            if (message is IReadOnlyList<NavUpdate> navBatch)
                navs.AddRange(navBatch);
            else
                prices.AddRange((IReadOnlyList<PriceQuote>)message);
        }
    }

    private static async Task<bool> MoreWithinLingerAsync(ChannelReader<object> inbox, CancellationToken cancellationToken)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(Linger);
        try
        {
            return await inbox.WaitToReadAsync(linger.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // nothing more within the linger: record what there is
        }
    }

    /// <summary>Every exchange has published its last day: investors drain what they have and end.</summary>
    public void CompletePrices()
    {
        foreach (var inbox in _investorInboxes.Values)
            inbox.Writer.TryComplete();
    }

    /// <summary>
    /// Every investor has drained (so every exchange had finished before): the recorder ends once it has
    /// recorded everything.
    /// </summary>
    public void CompleteNavs() => _recorderInbox.Writer.TryComplete();
}
