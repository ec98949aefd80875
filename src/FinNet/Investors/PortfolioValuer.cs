using FinNet.Network;

namespace FinNet.Investors;

/// <summary>Values one portfolio on one complete date. Pure and exact: decimals only, no state.</summary>
public static class PortfolioValuer
{
    /// <summary>Decimal places of NAV per share, changes and percents, in every store and message.</summary>
    public const int Decimals = 6;

    /// <param name="prices">A price for every stock the portfolio holds, on <paramref name="date"/>.</param>
    /// <param name="previous">The NAV of the previous valued date, or null on the first one.</param>
    public static NavUpdate Value(Portfolio portfolio, DateOnly date, IReadOnlyDictionary<string, decimal> prices, NavPoint? previous)
    {
        var value = 0m;
        foreach (var holding in portfolio.Holdings)
            value += holding.Quantity * prices[holding.Ticker];

        // Rounded once, where it is computed; change and percent derive from the rounded NAVs, so every store
        // and every consumer holds the same digits.
        var nav = Math.Round(value / portfolio.SharesOutstanding, Decimals, MidpointRounding.ToEven);
        decimal? change = previous is null ? null : nav - previous.NavPerShare;
        decimal? percent = previous is null ? null : Math.Round(change!.Value * 100m / previous.NavPerShare, Decimals, MidpointRounding.ToEven);
        return new NavUpdate(portfolio.InvestorId, portfolio.Id, date, value, portfolio.SharesOutstanding, nav, change, percent);
    }
}
