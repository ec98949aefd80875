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

    // The recorder's inbox is bounded in rows, not messages: a message is a day of prices (hundreds of rows) or an
    // investor's NAVs of a day (a few). Rows count from the moment they are queued until their batch is committed.
    private const int MaxRecorderRows = 400_000;

    // A store commit costs about the same whatever its size (~0.4 ms for SQLite in WAL mode), so the recorder
    // gathers at least MinBatchRows while more is on its way, waiting at most Linger for it (Kafka's linger.ms).
    // Measured on the full history (benchmarks/, store-write): 1 day per commit 55k rows/s, 20 days 190k rows/s.
    private const int RecorderCapacity = 4096;
    // Large networks want large batches: a NAV table keyed by portfolio receives each day's rows on one leaf page
    // per portfolio, so a commit rewrites a page per portfolio whatever its size; 10,000 portfolios at 20,000 rows a
    // batch rewrote ~2 KB of pages per row (measured: 52k rows/s on a generated 10,000-portfolio network).
    private const int MinBatchRows = 50_000;
    private const int MaxBatchRows = 200_000;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);

    // ...and records what it has once a batch has gathered this long: a run paced at --day-interval never leaves
    // its quiet 20 ms, and would otherwise record nothing until MinBatchRows had trickled in.
    private static readonly TimeSpan MaxBatchAge = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, Channel<IReadOnlyList<PriceQuote>>> _investorInboxes;
    private readonly Channel<object> _recorderInbox = Channel.CreateBounded<object>(
        new BoundedChannelOptions(RecorderCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly RowBudget _recorderRows = new(MaxRecorderRows);

    /// <summary>The most rows queued for the recorder or in its batch at once (one message more only when it comes alone).</summary>
    public const int RecorderRowBound = MaxRecorderRows;

    /// <summary>The most rows ever queued for the recorder or in its batch at once (at most <see cref="RecorderRowBound"/>).</summary>
    public int PeakRecorderRows => _recorderRows.Peak;

    public InProcessBus(IEnumerable<string> investorIds)
    {
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
            while (prices.Count + navs.Count < MinBatchRows && gathering.Elapsed < MaxBatchAge && await MoreWithinLingerAsync(inbox, cancellationToken))
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

    private static void Drain(ChannelReader<object> inbox, List<PriceQuote> prices, List<NavUpdate> navs)
    {
        while (prices.Count + navs.Count < MaxBatchRows && inbox.TryRead(out var message))
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
