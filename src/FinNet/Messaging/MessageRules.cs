using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Network;
using FinNet.Storage;

namespace FinNet.Messaging;

/// <summary>
/// What a valid price and a valid NAV are for one network (docs/wire-format.md, "Valid messages"): the wire is
/// untrusted input, and whatever breaks these rules goes to a dead-letter topic, never into a store or a valuation.
/// </summary>
/// <remarks>
/// Kafka cannot authenticate producers: these rules catch mistakes (a wrong ticker, a holiday, a typo in a price),
/// not someone who writes a plausible price before the exchange does.
/// </remarks>
public sealed class MessageRules(InvestmentNetwork network)
{
    /// <summary>The first date any message may carry: the price history starts in 2000.</summary>
    public static readonly DateOnly FirstDate = PriceModels.HistoryStart;

    /// <summary>The last date any message may carry, and the last a run may reach.</summary>
    public static readonly DateOnly LastDate = new(2199, 12, 31);

    // A portfolio is valued on the days every exchange whose stocks it holds trades: their calendars, once.
    private readonly Dictionary<Portfolio, TradingCalendar[]> _valuationCalendars = network.Portfolios.ToDictionary(
        p => p,
        p => p.Holdings.Select(h => network.GetExchange(network.FindStock(h.Ticker)!.ExchangeId).Calendar).Distinct().ToArray());

    /// <summary>Why <paramref name="quote"/> is not a valid price for the network, or null if it is.</summary>
    public string? PriceProblem(PriceQuote quote)
    {
        if (network.FindStock(quote.Ticker) is not { } stock)
            return $"unknown ticker '{Shown(quote.Ticker)}'";
        if (stock.ExchangeId != quote.ExchangeId)
            return $"{quote.Ticker} is listed on {stock.ExchangeId}, not on '{Shown(quote.ExchangeId)}'";
        if (DateProblem(quote.Date) is { } date)
            return date;
        if (!network.GetExchange(stock.ExchangeId).Calendar.IsTradingDay(quote.Date))
            return $"{quote.Date:yyyy-MM-dd} is not a trading day of {stock.ExchangeId}";
        return AmountProblem("PRICE", quote.Price);
    }

    /// <summary>Why an end-of-day marker of <paramref name="exchangeId"/> for <paramref name="date"/> is not valid for the network, or null if it is.</summary>
    public string? MarkerProblem(string exchangeId, DateOnly date) =>
        !network.Exchanges.Any(e => e.Id == exchangeId) ? $"marker from unknown exchange '{Shown(exchangeId)}'"
        : !InRange(date) ? $"marker date {date:yyyy-MM-dd} is out of range"
        : null;

    /// <summary>Why <paramref name="nav"/> is not a valid NAV for the network, or null if it is.</summary>
    public string? NavProblem(NavUpdate nav)
    {
        if (network.FindPortfolio(nav.InvestorId, nav.PortfolioId) is not { } portfolio)
            return $"unknown portfolio '{Shown(nav.InvestorId)}_{Shown(nav.PortfolioId)}'";
        if (DateProblem(nav.Date) is { } date)
            return date;
        if (!_valuationCalendars[portfolio].All(c => c.IsTradingDay(nav.Date)))
            return $"{nav.Date:yyyy-MM-dd} is not a trading day of {portfolio.Key}'s exchanges";
        if (AmountProblem("value", nav.Value) is { } value)
            return value;
        if (nav.SharesOutstanding != portfolio.SharesOutstanding)
            return $"shares_outstanding {nav.SharesOutstanding} is not {portfolio.Key}'s {portfolio.SharesOutstanding}";
        var expected = PortfolioValuer.Round(nav.Value / portfolio.SharesOutstanding);
        return nav.NavPerShare == expected ? null : $"nav_per_share {nav.NavPerShare} is not value / shares = {expected}";
    }

    private static bool InRange(DateOnly date) => date >= FirstDate && date <= LastDate;

    private static string? DateProblem(DateOnly date) =>
        InRange(date) ? null : $"date {date:yyyy-MM-dd} is outside {FirstDate:yyyy-MM-dd}..{LastDate:yyyy-MM-dd}";

    private static string? AmountProblem(string field, decimal amount) =>
        amount <= 0 ? $"{field} {amount} is not positive"
        : amount >= StoreSchema.NumericLimit ? $"{field} {amount} is not below {StoreSchema.NumericLimit:0} (the stores' DECIMAL(20,6))"
        : null;

    /// <summary>An id from the wire as a log line may show it: at most 40 characters, control characters escaped.</summary>
    private static string Shown(string text)
    {
        var shown = text.Length > 40 ? text[..40] + "..." : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
