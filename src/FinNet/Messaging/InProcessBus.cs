using System.Threading.Channels;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Recorder;

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
    // Messages are whole trading days or NAV batches, so a few hundred in flight is plenty.
    private const int Capacity = 256;
    private const int RecorderBatchRows = 20_000;

    private readonly Dictionary<string, Channel<IReadOnlyList<PriceQuote>>> _investorInboxes;
    private readonly Channel<object> _recorderInbox = Channel.CreateBounded<object>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

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
        await _recorderInbox.Writer.WriteAsync(closes, cancellationToken);
    }

    public async Task ProcessPricesAsync(string investorId, Func<IReadOnlyList<PriceQuote>, IReadOnlyList<NavUpdate>> valuer, CancellationToken cancellationToken)
    {
        var inbox = _investorInboxes[investorId].Reader;
        while (await inbox.WaitToReadAsync(cancellationToken))
        {
            while (inbox.TryRead(out var day))
            {
                var navs = valuer(day);
                if (navs.Count > 0)
                    await _recorderInbox.Writer.WriteAsync(navs, cancellationToken);
            }
        }
    }

    public async Task ConsumeForRecordingAsync(Func<RecordBatch, Task> record, CancellationToken cancellationToken)
    {
        var inbox = _recorderInbox.Reader;
        while (await inbox.WaitToReadAsync(cancellationToken))
        {
            var prices = new List<PriceQuote>();
            var navs = new List<NavUpdate>();
            while (prices.Count + navs.Count < RecorderBatchRows && inbox.TryRead(out var message))
            {
                if (message is IReadOnlyList<NavUpdate> navBatch)
                    navs.AddRange(navBatch);
                else
                    prices.AddRange((IReadOnlyList<PriceQuote>)message);
            }
            // Not cancellable once taken: the batch is committed whole, so an interrupted run leaves a consistent store.
            await record(new RecordBatch(prices, navs));
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
