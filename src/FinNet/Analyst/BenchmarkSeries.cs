using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FinNet.Network;
using FinNet.Storage;

namespace FinNet.Analyst;

/// <summary>
/// The series a portfolio is compared with (docs/metrics.md, "Versus a benchmark"), rebased to 100 on its first date in the analysed range:
/// <c>market</c>, the equal-weighted buy-and-hold index of every listed stock (<c>100 x mean over stocks of
/// price(t) / price(first date)</c>, on the dates every one of them is priced); an exchange id, the same over its
/// stocks; a portfolio key, its NAV per share.
/// </summary>
public sealed record BenchmarkSeries(string Name, string Description, IReadOnlyList<(DateOnly Date, double Value)> Values)
{
    public const string Market = "market";
    public const string None = "none";

    /// <summary>Throws a one-line error unless <paramref name="spec"/> names a benchmark of <paramref name="network"/>.</summary>
    public static void Validate(string spec, InvestmentNetwork network)
    {
        if (spec is Market or None || network.Exchanges.Any(e => e.Id == spec) || network.Portfolios.Any(p => p.Key == spec))
            return;
        throw new InvalidInputException(
            $"--benchmark: '{spec}' is not market, none, an exchange ({string.Join(", ", network.Exchanges.Select(e => e.Id))}) or a portfolio ({string.Join(", ", network.Portfolios.Select(p => p.Key))})");
    }

    /// <summary>
    /// What <paramref name="spec"/> (checked by <see cref="Validate"/>) compares with: a portfolio's key, or the
    /// stocks of an index (none for a portfolio), and how reports describe it.
    /// </summary>
    internal static (string? Portfolio, IReadOnlyList<string> Tickers, string Description) Describe(string spec, InvestmentNetwork network)
    {
        if (network.Portfolios.FirstOrDefault(p => p.Key == spec) is { } portfolio)
            return (spec, [], $"portfolio {spec} ({portfolio.Name})");
        var tickers = (spec == Market ? network.Stocks : network.GetExchange(spec).Stocks).Select(s => s.Ticker).ToList();
        return (null, tickers, spec == Market
            ? $"market: equal-weighted buy-and-hold index of all {tickers.Count} stocks"
            : $"{spec}: equal-weighted buy-and-hold index of its {tickers.Count} stocks");
    }

    /// <summary>Reads the benchmark from the store; null for <c>none</c>.</summary>
    public static async Task<BenchmarkSeries?> LoadAsync(AnalystOptions options, IFinNetStore store, InvestmentNetwork network, CancellationToken cancellationToken)
    {
        var spec = options.Benchmark; // checked by the command (Validate); an unknown exchange still fails in GetExchange
        if (spec == None)
            return null;
        var (key, tickers, description) = Describe(spec, network);
        if (key is not null)
        {
            var navs = (await store.ReadNavSeriesAsync(network.Portfolios.First(p => p.Key == key), cancellationToken)).Where(p => options.Includes(p.AsOf)).ToList();
            var first = navs.Count > 0 ? (double)navs[0].NavPerShare : 1;
            return new BenchmarkSeries(spec, description, navs.Select(p => (p.AsOf, 100 * (double)p.NavPerShare / first)).ToList());
        }
        return new BenchmarkSeries(spec, description, await IndexAsync(tickers.ToHashSet(StringComparer.Ordinal), options, store, cancellationToken));
    }

    /// <summary>
    /// The equal-weighted index of <paramref name="tickers"/> over the stored prices (ordered by ticker, then date),
    /// keeping only numbers per date and per stock, so memory does not grow with the prices. An index date needs
    /// every stock priced, and each stock is divided by its price on the index's first date. That first date is
    /// known only once every price was seen, so one pass divides each stock by its own first price and counts the
    /// stocks per date; where every stock's first price is on the index's first date (a network whose stocks were
    /// all listed from the start: the usual case) that was the right divisor. Otherwise a second pass divides by
    /// the price on the index's first date. The sums add the same quotients in the same order either way.
    /// </summary>
    private static async Task<List<(DateOnly, double)>> IndexAsync(HashSet<string> tickers, AnalystOptions options, IFinNetStore store, CancellationToken cancellationToken)
    {
        var byDate = new Dictionary<DateOnly, (int Stocks, double Sum)>();
        var firstDates = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        var (current, basePrice) = ("", double.NaN);
        await store.ForEachPriceAsync(quote =>
        {
            if (!tickers.Contains(quote.Ticker) || !options.Includes(quote.Date))
                return;
            if (quote.Ticker != current)
            {
                (current, basePrice) = (quote.Ticker, (double)quote.Price);
                firstDates[current] = quote.Date;
            }
            ref var day = ref CollectionsMarshal.GetValueRefOrAddDefault(byDate, quote.Date, out _);
            day = (day.Stocks + 1, day.Sum + ((double)quote.Price / basePrice));
        }, cancellationToken);
        var indexDates = byDate.Where(d => d.Value.Stocks == tickers.Count).Select(d => d.Key).Order().ToList();
        if (firstDates.Count < tickers.Count || indexDates.Count == 0)
            return [];
        var start = indexDates[0];
        if (firstDates.Values.All(d => d == start))
            return indexDates.Select(d => (d, 100 * byDate[d].Sum / tickers.Count)).ToList();

        var sums = indexDates.ToDictionary(d => d, _ => 0.0);
        (current, basePrice) = ("", double.NaN);
        await store.ForEachPriceAsync(quote =>
        {
            if (!tickers.Contains(quote.Ticker) || !options.Includes(quote.Date))
                return;
            if (quote.Ticker != current)
                (current, basePrice) = (quote.Ticker, double.NaN);
            if (quote.Date == start)
                basePrice = (double)quote.Price; // dates come in order: the first date's price before any later one
            ref var sum = ref CollectionsMarshal.GetValueRefOrNullRef(sums, quote.Date);
            if (!Unsafe.IsNullRef(ref sum))
                sum += (double)quote.Price / basePrice;
        }, cancellationToken);
        return indexDates.Select(d => (d, 100 * sums[d] / tickers.Count)).ToList();
    }
}
