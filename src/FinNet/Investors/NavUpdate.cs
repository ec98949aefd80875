namespace FinNet.Investors;

/// <summary>
/// One portfolio's valuation on one date: the NAV message an investor publishes (topic <c>portfolios</c>,
/// key = <c>Inv1_P11</c>).
/// </summary>
/// <remarks>
/// A class, though a run holds hundreds of thousands of them between valuation and their commit: as a value type
/// (a record struct, the recorder's batches reused and gathered while the store commits, so the rows sat in a few
/// arrays) the collector's pauses fell from 12-21% to 6-14% of the wall clock on 10,000 portfolios, yet the scale
/// benchmark's b recorded 229,483 rows/s, 72% of SQLite's ceiling in the same run, as before (228,329, 68%), and
/// peaked at 779 MB against 679 MB. The store's own work, not the collector, sets the pace there.
/// </remarks>
/// <param name="Value">The whole portfolio's value: Σ quantity x price, exact.</param>
/// <param name="NavPerShare">Value / shares outstanding, rounded once, half-even, to 6 decimal places.</param>
/// <param name="Change">NAV per share minus the previous valued date's; null on the first valued date.</param>
/// <param name="ChangePercent">100 x change / previous NAV per share, rounded half-even to 6 places; null on the first date.</param>
/// <param name="PreviousValue">
/// The whole portfolio's value on the previous valued date (null on the first one, or when a NAV was read back
/// without it): the wire's whole-portfolio <c>change</c> is <see cref="Value"/> minus it.
/// </param>
public sealed record NavUpdate(
    string InvestorId,
    string PortfolioId,
    DateOnly Date,
    decimal Value,
    decimal SharesOutstanding,
    decimal NavPerShare,
    decimal? Change,
    decimal? ChangePercent,
    decimal? PreviousValue = null)
{
    public string PortfolioKey => $"{InvestorId}_{PortfolioId}";
}

/// <summary>One stored row of a portfolio's NAV series (<c>AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent</c>).</summary>
public sealed record NavPoint(DateOnly AsOf, decimal NavPerShare, decimal? Change, decimal? ChangePercent);
