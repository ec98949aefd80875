
namespace FinNet.Network;

/// <summary>A listed stock: its ticker, reference price (USD) and the exchange that lists it.</summary>
/// <param name="Drift">Annual drift for the gbm model; null takes the model's default.</param>
/// <param name="Volatility">Annual volatility for the gbm model; null takes the model's default.</param>
public sealed record Stock(string Ticker, string ExchangeId, decimal ReferencePrice, double? Drift = null, double? Volatility = null);

/// <summary>A stock exchange: the stocks it lists and the calendar it trades on.</summary>
public sealed record Exchange(string Id, TradingCalendar Calendar, IReadOnlyList<Stock> Stocks);

/// <summary>A quantity of one stock held in a portfolio.</summary>
public sealed record Holding(string Ticker, decimal Quantity);

/// <summary>
/// A portfolio managed by one investor. <see cref="Cumulative"/> is reference data only: it is stored and
/// reported and has no effect on valuation.
/// </summary>
public sealed record Portfolio(
    string InvestorId, string Id, string Name, bool Cumulative, decimal SharesOutstanding, IReadOnlyList<Holding> Holdings)
{
    /// <summary>The name its NAV series is known by, <c>Inv1_P11</c>: the original system's table name.</summary>
    public string Key => $"{InvestorId}_{Id}";
}

/// <summary>An investor and the portfolios it manages.</summary>
public sealed record Investor(string Id, string Name, string City, IReadOnlyList<Portfolio> Portfolios);

/// <summary>
/// The whole network: exchanges with their stocks, investors with their portfolios. Built only by
/// <see cref="NetworkFile"/>, which validates it, so every instance is consistent (unique ids, known tickers,
/// positive quantities).
/// </summary>
public sealed class InvestmentNetwork
{
    private readonly Dictionary<string, Stock> _stocksByTicker;
    private readonly Dictionary<(string InvestorId, string PortfolioId), Portfolio> _portfoliosById;
    private readonly Dictionary<string, Investor> _investorsById; // the analyst looks one up per portfolio

    internal InvestmentNetwork(IReadOnlyList<Exchange> exchanges, IReadOnlyList<Investor> investors, string fingerprint)
    {
        Exchanges = exchanges;
        Investors = investors;
        Fingerprint = fingerprint;
        _stocksByTicker = exchanges.SelectMany(e => e.Stocks).ToDictionary(s => s.Ticker, StringComparer.Ordinal);
        Portfolios = investors.SelectMany(i => i.Portfolios).ToList();
        _portfoliosById = Portfolios.ToDictionary(p => (p.InvestorId, p.Id));
        _investorsById = investors.ToDictionary(i => i.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<Exchange> Exchanges { get; }

    public IReadOnlyList<Investor> Investors { get; }

    /// <summary>Every portfolio of every investor, in file order.</summary>
    public IReadOnlyList<Portfolio> Portfolios { get; }

    /// <summary>SHA-256 (hex) of the network's canonical JSON: what a store remembers to refuse a different network.</summary>
    public string Fingerprint { get; }

    public IEnumerable<Stock> Stocks => _stocksByTicker.Values;

    public Stock? FindStock(string ticker) => _stocksByTicker.GetValueOrDefault(ticker);

    public Portfolio? FindPortfolio(string investorId, string portfolioId) => _portfoliosById.GetValueOrDefault((investorId, portfolioId));

    /// <summary>A portfolio's shares outstanding, or null for a portfolio the network does not have.</summary>
    public decimal? SharesOutstanding(string investorId, string portfolioId) => FindPortfolio(investorId, portfolioId)?.SharesOutstanding;

    public Exchange GetExchange(string id) =>
        Exchanges.FirstOrDefault(e => e.Id == id)
        ?? throw new InvalidInputException($"no exchange '{id}' in the network (it has {string.Join(", ", Exchanges.Select(e => e.Id))})");

    public Investor GetInvestor(string id) =>
        _investorsById.GetValueOrDefault(id)
        ?? throw new InvalidInputException($"no investor '{id}' in the network (it has {string.Join(", ", Investors.Select(i => i.Id))})");
}
