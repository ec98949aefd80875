using FinNet.Exchanges;
using FinNet.Messaging;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Investors;

/// <summary>
/// One investor: takes prices in, values each of its portfolios once every stock it holds has a price for a
/// date, and publishes the NAVs in date order.
/// </summary>
/// <remarks>
/// A date completes for a portfolio when every held stock has a price for it. Each exchange publishes its days
/// in order, so once a later date is complete, an earlier one still incomplete never will be (an exchange was
/// closed that day): it is dropped, not waited for. The restart state is the last NAV of each portfolio,
/// read back from the store (<paramref name="lastNavs"/>); prices of dates after it are simply re-sent.
/// </remarks>
/// <param name="lastValues">
/// The whole value of each portfolio on its last NAV's date, by key, where known (a resumed run computes it from
/// the stored prices): the first new NAV's whole-portfolio change on the wire is taken against it.
/// </param>
public sealed class InvestorService(Investor investor, IReadOnlyDictionary<string, NavPoint> lastNavs, ILogger logger, IReadOnlyDictionary<string, decimal>? lastValues = null)
{
    private readonly PortfolioState[] _portfolios = investor.Portfolios
        .Select(p => new PortfolioState(p, lastNavs.GetValueOrDefault(p.Key)) { LastValue = lastValues?.GetValueOrDefault(p.Key) })
        .ToArray();

    // Prices of dates not yet valued by every portfolio, only for stocks this investor holds.
    private readonly SortedDictionary<DateOnly, Dictionary<string, decimal>> _pending = [];
    private readonly HashSet<string> _heldTickers =
        investor.Portfolios.SelectMany(p => p.Holdings).Select(h => h.Ticker).ToHashSet(StringComparer.Ordinal);

    private long _navsPublished;

    public Investor Investor => investor;

    public long NavsPublished => Interlocked.Read(ref _navsPublished);

    /// <summary>Prices held for dates some portfolio has not valued yet: what an investor buffers.</summary>
    public int PendingPrices { get; private set; }

    /// <summary>The most prices this investor ever held at once (bounded by the exchanges' lockstep, see <see cref="ExchangeLockstep"/>).</summary>
    public int PeakPendingPrices { get; private set; }

    /// <summary>Consumes prices from the bus until it completes or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="subscription">This investor's subscription (<see cref="PriceSubscription.Of"/>).</param>
    public Task RunAsync(IMessageBus bus, PriceSubscription subscription, CancellationToken cancellationToken) =>
        bus.ProcessPricesAsync(subscription, Accept, cancellationToken);

    /// <summary>Takes a batch of prices; returns the NAVs that became complete, in date order per portfolio.</summary>
    public IReadOnlyList<NavUpdate> Accept(IReadOnlyList<PriceQuote> prices)
    {
        var touched = new SortedSet<DateOnly>();
        foreach (var quote in prices)
        {
            if (!_heldTickers.Contains(quote.Ticker))
                continue;
            if (!_pending.TryGetValue(quote.Date, out var day))
                _pending[quote.Date] = day = new Dictionary<string, decimal>(_heldTickers.Count, StringComparer.Ordinal);
            if (day.TryAdd(quote.Ticker, quote.Price)) // of two prices for one (ticker, date), the first stands, as in the store
                PendingPrices++;
            touched.Add(quote.Date);
        }

        var navs = new List<NavUpdate>();
        foreach (var state in _portfolios)
        {
            foreach (var date in touched)
            {
                if (state.Last is { } last && date <= last.AsOf)
                    continue; // valued before (a restart re-sends prices from the last complete day)
                var day = _pending[date];
                if (!state.Portfolio.Holdings.All(h => day.ContainsKey(h.Ticker)))
                    continue;
                // Only when asked for: walking the pending dates per portfolio and date cost a quarter of a large run.
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    foreach (var skipped in _pending.Keys.Where(d => d < date && d > (state.Last?.AsOf ?? DateOnly.MinValue)))
                        Log.SkippedIncompleteDate(logger, state.Portfolio.Key, skipped, date);
                }
                var nav = PortfolioValuer.Value(state.Portfolio, date, day, state.Last, state.LastValue);
                state.Last = new NavPoint(date, nav.NavPerShare, nav.Change, nav.ChangePercent);
                state.LastValue = nav.Value;
                navs.Add(nav);
            }
        }

        // Forget dates every portfolio has passed: they can no longer be valued.
        var oldestOpen = _portfolios.Min(p => p.Last?.AsOf ?? DateOnly.MinValue);
        PeakPendingPrices = Math.Max(PeakPendingPrices, PendingPrices);
        while (_pending.Count > 0 && _pending.Keys.First() is var first && first <= oldestOpen)
        {
            PendingPrices -= _pending[first].Count;
            _pending.Remove(first);
        }

        Interlocked.Add(ref _navsPublished, navs.Count);
        return navs;
    }

    private sealed class PortfolioState(Portfolio portfolio, NavPoint? last)
    {
        public Portfolio Portfolio { get; } = portfolio;

        public NavPoint? Last { get; set; } = last;

        public decimal? LastValue { get; set; }
    }
}
