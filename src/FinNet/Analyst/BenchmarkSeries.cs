using FinNet.Network;
using FinNet.Storage;

namespace FinNet.Analyst;

/// <summary>
/// The series a portfolio is compared with (R21), rebased to 100 on its first date in the analysed range:
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
        var spec = options.Benchmark;
        Validate(spec, network);
        if (spec == None)
            return null;
        if (network.Portfolios.FirstOrDefault(p => p.Key == spec) is { } portfolio)
        {
            var navs = (await store.ReadNavSeriesAsync(portfolio, cancellationToken)).Where(p => options.Includes(p.AsOf)).ToList();
            var first = navs.Count > 0 ? (double)navs[0].NavPerShare : 1;
            return new BenchmarkSeries(spec, $"portfolio {spec} ({portfolio.Name})", navs.Select(p => (p.AsOf, 100 * (double)p.NavPerShare / first)).ToList());
        }

        var tickers = (spec == Market ? network.Stocks : network.GetExchange(spec).Stocks).Select(s => s.Ticker).ToHashSet(StringComparer.Ordinal);
        var byDate = new SortedDictionary<DateOnly, Dictionary<string, double>>();
        foreach (var quote in await store.ReadPricesAsync(cancellationToken))
        {
            if (!tickers.Contains(quote.Ticker) || !options.Includes(quote.Date))
                continue;
            if (!byDate.TryGetValue(quote.Date, out var prices))
                byDate[quote.Date] = prices = new Dictionary<string, double>(StringComparer.Ordinal);
            prices[quote.Ticker] = (double)quote.Price;
        }
        var values = new List<(DateOnly, double)>();
        Dictionary<string, double>? start = null;
        foreach (var (date, prices) in byDate)
        {
            if (prices.Count < tickers.Count)
                continue; // a date some stock was not priced on is not in the index
            start ??= prices;
            values.Add((date, 100 * prices.Sum(p => p.Value / start[p.Key]) / tickers.Count));
        }
        var description = spec == Market
            ? $"market: equal-weighted buy-and-hold index of all {tickers.Count} stocks"
            : $"{spec}: equal-weighted buy-and-hold index of its {tickers.Count} stocks";
        return new BenchmarkSeries(spec, description, values);
    }
}
