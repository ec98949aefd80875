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

    /// <summary>Reads the benchmark from the store; null for <c>none</c>.</summary>
    public static async Task<BenchmarkSeries?> LoadAsync(AnalystOptions options, IFinNetStore store, InvestmentNetwork network, CancellationToken cancellationToken)
    {
        var spec = options.Benchmark; // checked by the command (Validate); an unknown exchange still fails in GetExchange
        if (spec == None)
            return null;
        if (network.Portfolios.FirstOrDefault(p => p.Key == spec) is { } portfolio)
        {
            var navs = (await store.ReadNavSeriesAsync(portfolio, cancellationToken)).Where(p => options.Includes(p.AsOf)).ToList();
            var first = navs.Count > 0 ? (double)navs[0].NavPerShare : 1;
            return new BenchmarkSeries(spec, $"portfolio {spec} ({portfolio.Name})", navs.Select(p => (p.AsOf, 100 * (double)p.NavPerShare / first)).ToList());
        }

        var tickers = (spec == Market ? network.Stocks : network.GetExchange(spec).Stocks).Select(s => s.Ticker).ToHashSet(StringComparer.Ordinal);
        // Two passes over the stored prices (ordered by ticker, then date), keeping only a number per date: an index
        // date needs every stock priced, so the first pass counts stocks per date; the second divides each stock's
        // prices by its price on the index's first date and adds them up. Memory does not grow with the prices.
        var pricedStocks = new Dictionary<DateOnly, int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await store.ForEachPriceAsync(quote =>
        {
            if (tickers.Contains(quote.Ticker) && options.Includes(quote.Date))
            {
                pricedStocks[quote.Date] = pricedStocks.GetValueOrDefault(quote.Date) + 1;
                seen.Add(quote.Ticker);
            }
        }, cancellationToken);
        var values = new List<(DateOnly, double)>();
        var sums = pricedStocks.Where(d => d.Value == tickers.Count).ToDictionary(d => d.Key, _ => 0.0);
        if (seen.Count == tickers.Count && sums.Count > 0)
        {
            var start = sums.Keys.Min();
            var (current, basePrice) = ("", double.NaN);
            await store.ForEachPriceAsync(quote =>
            {
                if (!tickers.Contains(quote.Ticker) || !options.Includes(quote.Date))
                    return;
                if (quote.Ticker != current)
                    (current, basePrice) = (quote.Ticker, double.NaN);
                if (quote.Date == start)
                    basePrice = (double)quote.Price; // dates come in order: the first date's price before any later one
                ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(sums, quote.Date);
                if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref sum))
                    sum += (double)quote.Price / basePrice;
            }, cancellationToken);
            values.AddRange(sums.OrderBy(d => d.Key).Select(d => (d.Key, 100 * d.Value / tickers.Count)));
        }
        var description = spec == Market
            ? $"market: equal-weighted buy-and-hold index of all {tickers.Count} stocks"
            : $"{spec}: equal-weighted buy-and-hold index of its {tickers.Count} stocks";
        return new BenchmarkSeries(spec, description, values);
    }
}
