using System.Collections;
using FinNet.Network;

namespace FinNet.Exchanges;

/// <summary>
/// One trading day's closes of one exchange: a close for every listed stock, in the exchange's listing order, all of
/// one date. What an exchange publishes on the embedded bus; a reader finds a stock's close at its listing position
/// instead of searching the day (an investor of 30 stocks out of 1,000 reads 30 closes, not 1,000).
/// </summary>
public sealed class ListedCloses : IReadOnlyList<PriceQuote>
{
    private readonly PriceQuote[] _closes;

    /// <exception cref="ArgumentException">The closes are not one date's closes of every listed stock in listing order.</exception>
    public ListedCloses(Exchange exchange, PriceQuote[] closes)
    {
        if (closes.Length != exchange.Stocks.Count || closes.Length == 0)
            throw new ArgumentException($"{exchange.Id} lists {exchange.Stocks.Count} stocks, not {closes.Length}", nameof(closes));
        for (var i = 0; i < closes.Length; i++)
        {
            if (closes[i].Ticker != exchange.Stocks[i].Ticker || closes[i].Date != closes[0].Date || closes[i].ExchangeId != exchange.Id)
                throw new ArgumentException($"close {i} of {exchange.Id} on {closes[0].Date} is {closes[i].Ticker} on {closes[i].Date}, not {exchange.Stocks[i].Ticker}", nameof(closes));
        }
        (Exchange, _closes) = (exchange, closes);
    }

    public Exchange Exchange { get; }

    public DateOnly Date => _closes[0].Date;

    public int Count => _closes.Length;

    public PriceQuote this[int index] => _closes[index];

    public IEnumerator<PriceQuote> GetEnumerator() => ((IEnumerable<PriceQuote>)_closes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
