using FinNet.Exchanges;
using FinNet.Investors;

namespace FinNet.Messaging;

/// <summary>
/// The narrow contract the stages talk through: one method per stage, shaped by what that stage needs from the
/// transport. Two implementations: <see cref="InProcessBus"/> (channels, the embedded default) and Kafka.
/// </summary>
/// <remarks>
/// Delivery guarantees are part of the contract: a processor's outputs and the consumption of its inputs become
/// visible together (exactly once), and a consumer's inputs count as consumed only after its handler returns.
/// </remarks>
public interface IMessageBus
{
    /// <summary>Exchange: publishes one trading day's closes of one exchange (topic <c>StockExchange</c>, key = ticker).</summary>
    Task PublishTradingDayAsync(string exchangeId, DateOnly date, IReadOnlyList<PriceQuote> closes, CancellationToken cancellationToken);

    /// <summary>
    /// Investor: consumes prices, turns each batch into NAVs with <paramref name="valuer"/> and publishes them
    /// (topic <c>portfolios</c>, key = <c>Inv1_P11</c>) exactly once. Returns when the price stream ends or on cancellation.
    /// </summary>
    Task ProcessPricesAsync(PriceSubscription subscription, Func<IReadOnlyList<PriceQuote>, IReadOnlyList<NavUpdate>> valuer, CancellationToken cancellationToken);

    /// <summary>
    /// Recorder: consumes prices and NAVs in batches; a batch counts as consumed only once <paramref name="record"/>
    /// has returned (after the database commit). <paramref name="record"/> returns the rows the store refused
    /// (they conflict with what it holds), which a bus with dead-letter topics sends there. Returns when both
    /// streams end or on cancellation.
    /// </summary>
    Task ConsumeForRecordingAsync(Func<RecordBatch, Task<RecordBatch>> record, CancellationToken cancellationToken);

    /// <summary>One-process runs: every exchange has published its last day; investors end once they have read it all.</summary>
    void CompletePrices();

    /// <summary>One-process runs: every investor has ended; the recorder ends once it has recorded everything.</summary>
    void CompleteNavs();
}
