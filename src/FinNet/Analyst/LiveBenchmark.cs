using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Network;

namespace FinNet.Analyst;

/// <summary>
/// The benchmark (docs/metrics.md, "Versus a benchmark") built as prices or a portfolio's NAVs arrive, for the live
/// analyst: the same series <see cref="BenchmarkSeries"/> reads from a store once the history is complete. An
/// index date needs every stock priced; the first such date is the base (each stock divided by its price that day),
/// and each date's quotients are summed in ticker order, as the stored read sums them.
/// </summary>
/// <remarks>
/// Only the prices of dates not yet complete are held, and only until a later date completes (a date some stock is
/// never priced on is then known not to be an index date), so memory stays the spread between exchanges.
/// </remarks>
internal sealed class LiveBenchmark
{
    private readonly string[] _tickers = []; // ordinal order, the stored read's summation order
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateOnly, (double?[] Prices, int Count)> _pending = [];
    private double[]? _base;
    private readonly List<(DateOnly Date, double Value)> _values = [];
    private double _firstNav;

    private LiveBenchmark(string name, string description, string? portfolioKey, IEnumerable<string> tickers)
    {
        (Name, Description, PortfolioKey) = (name, description, portfolioKey);
        _tickers = tickers.Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < _tickers.Length; i++)
            _slots[_tickers[i]] = i;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>The portfolio whose NAVs are the benchmark, or null for an index of stocks.</summary>
    public string? PortfolioKey { get; }

    /// <summary>Dates up to this one are decided: their value is known, or they are not benchmark dates.</summary>
    public DateOnly? SettledThrough => _values.Count > 0 ? _values[^1].Date : null;

    /// <summary>The stocks whose prices make the index (none for a portfolio benchmark).</summary>
    public IReadOnlyList<string> Tickers => _tickers;

    /// <summary>The benchmark named by <paramref name="spec"/> (checked by <see cref="BenchmarkSeries.Validate"/>), or null for <c>none</c>.</summary>
    public static LiveBenchmark? Create(string spec, InvestmentNetwork network)
    {
        if (spec == BenchmarkSeries.None)
            return null;
        var (portfolio, tickers, description) = BenchmarkSeries.Describe(spec, network);
        return new LiveBenchmark(spec, description, portfolio, tickers);
    }

    /// <summary>A price; the first one for a (ticker, date) stands, as in the store. Prices of other stocks are ignored.</summary>
    public void Add(PriceQuote quote)
    {
        if (!_slots.TryGetValue(quote.Ticker, out var slot) || (SettledThrough is { } settled && quote.Date <= settled))
            return;
        var (prices, count) = _pending.TryGetValue(quote.Date, out var day) ? day : (new double?[_tickers.Length], 0);
        if (prices[slot] is null)
            (prices[slot], count) = ((double)quote.Price, count + 1);
        _pending[quote.Date] = (prices, count);
        if (count < prices.Length)
            return;
        _base ??= prices.Select(p => p!.Value).ToArray();
        var sum = 0.0;
        for (var i = 0; i < prices.Length; i++)
            sum += prices[i]!.Value / _base[i];
        _values.Add((quote.Date, 100 * sum / _tickers.Length));
        foreach (var decided in _pending.Keys.TakeWhile(d => d <= quote.Date).ToList())
            _pending.Remove(decided);
    }

    /// <summary>A NAV of the benchmark portfolio, in date order.</summary>
    public void Add(NavPoint nav)
    {
        if (SettledThrough is { } settled && nav.AsOf <= settled)
            return;
        if (_values.Count == 0)
            _firstNav = (double)nav.NavPerShare;
        _values.Add((nav.AsOf, 100 * (double)nav.NavPerShare / _firstNav));
    }

    /// <summary>The value on <paramref name="date"/> (a settled date), or null if it is not a benchmark date.</summary>
    public double? ValueOn(DateOnly date)
    {
        var at = BinarySearch(date);
        return at >= 0 ? _values[at].Value : null;
    }

    /// <summary>The series so far, as the report and the charts take it.</summary>
    public BenchmarkSeries Snapshot() => new(Name, Description, _values.ToList());

    private int BinarySearch(DateOnly date)
    {
        var (low, high) = (0, _values.Count - 1);
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var order = _values[middle].Date.CompareTo(date);
            if (order == 0)
                return middle;
            if (order < 0)
                low = middle + 1;
            else
                high = middle - 1;
        }
        return -1;
    }
}
