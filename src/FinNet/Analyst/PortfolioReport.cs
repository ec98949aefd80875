using FinNet.Investors;
using FinNet.Network;

namespace FinNet.Analyst;

/// <summary>Everything the analyst reports about one portfolio: who it is, its series' span, its statistics.</summary>
public sealed record PortfolioReport(Investor Investor, Portfolio Portfolio, IReadOnlyList<NavPoint> Series, NavStatistics Statistics)
{
    public DateOnly? FirstDate => Series.Count > 0 ? Series[0].AsOf : null;

    public DateOnly? LastDate => Series.Count > 0 ? Series[^1].AsOf : null;

    public decimal? FinalNavPerShare => Series.Count > 0 ? Series[^1].NavPerShare : null;

    /// <summary>Last NAV over first NAV, minus one; null for fewer than two rows.</summary>
    public decimal? TotalReturn => Series.Count > 1 ? Series[^1].NavPerShare / Series[0].NavPerShare - 1 : null;
}
