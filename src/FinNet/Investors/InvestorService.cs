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
/// read back from the store; prices of dates after it are simply re-sent.
/// </remarks>
public sealed class InvestorService
{
    private readonly Dictionary<string, int> _slots;
    private readonly PortfolioState[] _portfolios;
    private readonly ILogger _logger;

    // Per exchange (this network's, by reference), the listing position of each held stock and its slot: a day of
    // ListedCloses is read at those positions, so an investor's cost per day is its own stocks, not the exchange's
    // (at 1,000 investors x 1,000 stocks, a lookup per close per investor was half the valuation's time).
    private readonly Dictionary<Exchange, (int Position, int Slot)[]> _listings = new(ReferenceEqualityComparer.Instance);

    // Prices of dates not yet valued by every portfolio, only for stocks this investor holds.
    private readonly SortedDictionary<DateOnly, PendingDay> _pending = [];
    // Days passed by every portfolio, kept for reuse: a day is an array per held stock, allocated anew for every
    // date it was most of what a large run allocated (1,000 investors x 260 stocks x 16 bytes a date).
    private readonly Stack<PendingDay> _spareDays = new();

    private long _navsPublished;

    /// <param name="lastNavs">The restart state: each portfolio's last stored NAV, by key.</param>
    /// <param name="lastValues">
    /// The whole value of each portfolio on its last NAV's date, by key, where known (a resumed run computes it from
    /// the stored prices): the first new NAV's whole-portfolio change on the wire is taken against it.
    /// </param>
    /// <param name="network">The network the investor belongs to, when known: its exchanges' days are then read by listing position.</param>
    public InvestorService(Investor investor, IReadOnlyDictionary<string, NavPoint> lastNavs, ILogger logger, IReadOnlyDictionary<string, decimal>? lastValues = null, InvestmentNetwork? network = null)
    {
        Investor = investor;
        _logger = logger;
        // Every stock the investor holds gets a slot: a pending day is an array of prices by slot, and a portfolio's
        // holdings are slots, so valuing a portfolio indexes arrays instead of hashing a ticker per holding (at 10,000
        // portfolios x 30 holdings, the hashing was most of the valuation's time).
        _slots = investor.Portfolios.SelectMany(p => p.Holdings).Select(h => h.Ticker).Distinct(StringComparer.Ordinal)
            .Select((ticker, slot) => (ticker, slot)).ToDictionary(t => t.ticker, t => t.slot, StringComparer.Ordinal);
        if (network is not null)
        {
            foreach (var exchange in network.Exchanges)
            {
                _listings[exchange] = exchange.Stocks.Select((stock, position) => (position, slot: _slots.GetValueOrDefault(stock.Ticker, -1)))
                    .Where(listed => listed.slot >= 0).ToArray();
            }
        }
        _portfolios = investor.Portfolios
            .Select(p => new PortfolioState(p, lastNavs.GetValueOrDefault(p.Key), _slots) { LastValue = lastValues?.GetValueOrDefault(p.Key) })
            .ToArray();
    }

    public Investor Investor { get; }

    public long NavsPublished => Interlocked.Read(ref _navsPublished);

    /// <summary>Prices held for dates some portfolio has not valued yet: what an investor buffers.</summary>
    public int PendingPrices { get; private set; }

    /// <summary>The most prices this investor ever held at once (bounded by the exchanges' lockstep, see <see cref="ExchangeLockstep"/>).</summary>
    public int PeakPendingPrices { get; private set; }

    /// <summary>Each valued portfolio's restart state: its last NAV and its whole value on that date (where known).</summary>
    public IEnumerable<(string Key, NavPoint Last, decimal? Value)> Positions =>
        _portfolios.Where(p => p.Last is not null).Select(p => (p.Portfolio.Key, p.Last!, p.LastValue));

    /// <summary>Consumes prices from the bus until it completes or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="subscription">This investor's subscription (<see cref="PriceSubscription.Of"/>).</param>
    public Task RunAsync(IMessageBus bus, PriceSubscription subscription, CancellationToken cancellationToken) =>
        bus.ProcessPricesAsync(subscription, Accept, cancellationToken);

    /// <summary>Takes a batch of prices; returns the NAVs that became complete, in date order per portfolio.</summary>
    public IReadOnlyList<NavUpdate> Accept(IReadOnlyList<PriceQuote> prices)
    {
        // The dates these prices touched, each with its pending day: looked up once per date, not per price or portfolio.
        var touched = new SortedList<DateOnly, PendingDay>();
        if (prices is ListedCloses listed && _listings.TryGetValue(listed.Exchange, out var positions))
        {
            // An exchange none of whose stocks are held touches no date, as on the path below.
            if (positions.Length > 0)
            {
                var day = PendingDayOf(listed.Date, touched);
                foreach (var (position, slot) in positions)
                    Take(day, slot, listed[position].Price);
            }
        }
        else
        {
            PendingDay? day = null;
            foreach (var quote in prices)
            {
                if (!_slots.TryGetValue(quote.Ticker, out var slot))
                    continue;
                if (day is null || day.Date != quote.Date)
                    day = PendingDayOf(quote.Date, touched);
                Take(day, slot, quote.Price);
            }
        }

        var navs = new List<NavUpdate>();
        foreach (var state in _portfolios)
        {
            foreach (var (date, day) in touched)
            {
                if (state.Last is { } last && date <= last.AsOf)
                    continue; // valued before (a restart re-sends prices from the last complete day)
                if (day.WholeValue(state.Slots, state.Quantities) is not { } value)
                    continue;
                // Only when asked for: walking the pending dates per portfolio and date cost a quarter of a large run.
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    foreach (var skipped in _pending.Keys.Where(d => d < date && d > (state.Last?.AsOf ?? DateOnly.MinValue)))
                        Log.SkippedIncompleteDate(_logger, state.Portfolio.Key, skipped, date);
                }
                var nav = PortfolioValuer.Value(state.Portfolio, date, value, state.Last, state.LastValue);
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
            var passed = _pending[first];
            PendingPrices -= passed.Count;
            _pending.Remove(first);
            passed.Clear();
            _spareDays.Push(passed);
        }

        Interlocked.Add(ref _navsPublished, navs.Count);
        return navs;
    }

    private PendingDay PendingDayOf(DateOnly date, SortedList<DateOnly, PendingDay> touched)
    {
        if (!_pending.TryGetValue(date, out var day))
        {
            _pending[date] = day = _spareDays.TryPop(out var spare) ? spare : new PendingDay(_slots.Count);
            day.Date = date;
        }
        touched.TryAdd(date, day);
        return day;
    }

    private void Take(PendingDay day, int slot, decimal price)
    {
        if (day.TryAdd(slot, price)) // of two prices for one (ticker, date), the first stands, as in the store
            PendingPrices++;
    }

    private sealed class PortfolioState(Portfolio portfolio, NavPoint? last, Dictionary<string, int> slots)
    {
        public Portfolio Portfolio { get; } = portfolio;

        public NavPoint? Last { get; set; } = last;

        public decimal? LastValue { get; set; }

        /// <summary>The holdings' slots and quantities, in the holdings' order.</summary>
        public int[] Slots { get; } = portfolio.Holdings.Select(h => slots[h.Ticker]).ToArray();

        public decimal[] Quantities { get; } = portfolio.Holdings.Select(h => h.Quantity).ToArray();
    }

    /// <summary>One date's prices by slot, and which slots have one.</summary>
    private sealed class PendingDay(int slots)
    {
        private readonly decimal[] _prices = new decimal[slots];
        private readonly bool[] _priced = new bool[slots];

        public DateOnly Date { get; set; }

        public int Count { get; private set; }

        public void Clear()
        {
            Array.Clear(_priced);
            Count = 0;
        }

        public bool TryAdd(int slot, decimal price)
        {
            if (_priced[slot])
                return false;
            (_prices[slot], _priced[slot]) = (price, true);
            Count++;
            return true;
        }

        /// <summary>Σ quantity x price over the holdings (as <see cref="PortfolioValuer.WholeValue"/>), or null while a holding has no price.</summary>
        public decimal? WholeValue(int[] holdingSlots, decimal[] quantities)
        {
            foreach (var slot in holdingSlots)
            {
                if (!_priced[slot])
                    return null;
            }
            var value = 0m;
            for (var i = 0; i < holdingSlots.Length; i++)
                value += quantities[i] * _prices[holdingSlots[i]];
            return value;
        }
    }
}
