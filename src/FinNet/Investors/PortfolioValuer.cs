using FinNet.Network;

namespace FinNet.Investors;

/// <summary>Values one portfolio on one complete date. Pure and exact: decimals only, no state.</summary>
public static class PortfolioValuer
{
    /// <summary>Decimal places of NAV per share, changes and percents, in every store and message.</summary>
    public const int Decimals = 6;

    /// <param name="value">The whole portfolio's value on <paramref name="date"/> (<see cref="WholeValue"/>).</param>
    /// <param name="previous">The NAV of the previous valued date, or null on the first one.</param>
    /// <param name="previousValue">The whole portfolio's value on that date, when known.</param>
    public static NavUpdate Value(Portfolio portfolio, DateOnly date, decimal value, NavPoint? previous, decimal? previousValue)
    {
        // Rounded once, where it is computed; change and percent derive from the rounded NAVs, so every store
        // and every consumer holds the same digits.
        var nav = Round(value / portfolio.SharesOutstanding);
        decimal? change = previous is null ? null : Round(nav - previous.NavPerShare);
        decimal? percent = previous is null ? null : Round(change!.Value * 100m / previous.NavPerShare);
        return new NavUpdate(portfolio.InvestorId, portfolio.Id, date, value, portfolio.SharesOutstanding, nav, change, percent, previous is null ? null : previousValue);
    }

    /// <summary>Σ quantity x price over the holdings, exact.</summary>
    public static decimal WholeValue(Portfolio portfolio, IReadOnlyDictionary<string, decimal> prices)
    {
        var value = 0m;
        foreach (var holding in portfolio.Holdings)
            value += holding.Quantity * prices[holding.Ticker];
        return value;
    }

    /// <summary>
    /// Half-even to 6 places, and always written with 6 places: <see cref="Math.Round(decimal, int)"/> keeps a shorter
    /// scale (1542.77 stays 1542.77), and adding a zero of scale 6 extends it (1542.770000), so every store and
    /// message carries the same digits.
    /// </summary>
    public static decimal Round(decimal value) => Math.Round(value, Decimals, MidpointRounding.ToEven) + 0.000000m;
}
