using System.Text.RegularExpressions;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Storage;

/// <summary>
/// Table and column names of the storage contract, and the one place identifiers built from ids are checked.
/// </summary>
/// <remarks>
/// NAV series: one normalised table <see cref="NavTable"/> keyed by (iid, pid, AsOf), and per portfolio a view
/// named <c>Inv1_P11</c> with the original's columns. One table scales to thousands of portfolios: one index,
/// multi-row upserts across portfolios in a single statement, no DDL per write; the views keep the names the
/// original system's users query.
/// </remarks>
public static partial class StoreSchema
{
    public const string Investors = "Investors";
    public const string Portfolios = "Portfolios";
    public const string InvestorsPortfolios = "Investors_Portfolios";
    public const string StockPrices = "StockPrices";
    public const string NavTable = "PortfolioNavs";
    public const string Provenance = "FinNetProvenance";
    public const string DefaultMySqlDatabase = "InvestorsDB";

    /// <summary>
    /// Every stored number (prices, NAVs, changes) and every value they derive from (quantity x price, a portfolio's
    /// value) stays below this: MySQL's DECIMAL(20,6) holds 14 digits before the point, and SQLite keeps the same limit.
    /// </summary>
    public const decimal NumericLimit = 100_000_000_000_000m;

    /// <summary>Drops every FinNet table (the series views go first, by name), links before what they refer to; SQL both stores speak.</summary>
    public const string DropTables = $"""
        DROP TABLE IF EXISTS {InvestorsPortfolios};
        DROP TABLE IF EXISTS {Investors};
        DROP TABLE IF EXISTS {Portfolios};
        DROP TABLE IF EXISTS {StockPrices};
        DROP TABLE IF EXISTS {NavTable};
        DROP TABLE IF EXISTS {Provenance};
        """;

    /// <summary>A store's series are those of <see cref="InvestorsPortfolios"/>: each link's <c>iid_pid</c>.</summary>
    public const string SeriesLinks = $"SELECT iid, pid FROM {InvestorsPortfolios} ORDER BY iid, pid";

    /// <summary>Whether a stored NAV row says what <paramref name="nav"/> says (so writing it again is a re-delivery, not a conflict).</summary>
    public static bool SameNav(Investors.NavPoint stored, Investors.NavUpdate nav) =>
        stored.NavPerShare == nav.NavPerShare && stored.Change == nav.Change && stored.ChangePercent == nav.ChangePercent;

    /// <summary>Each ticker's first and last stored price date.</summary>
    public const string PriceDateRanges = $"SELECT Ticker, MIN(AsOf), MAX(AsOf) FROM {StockPrices} GROUP BY Ticker";

    /// <summary>Each portfolio's last stored NAV date, keyed <c>Inv1_P11</c> by the dialect's <paramref name="key"/> expression over a table alias <c>n</c>.</summary>
    public static string NavLastDates(string key) => $"SELECT {key}, MAX(AsOf) FROM {NavTable} n GROUP BY iid, pid";

    /// <summary>Each portfolio's last NAV row before the date parameter <paramref name="date"/>, keyed as in <see cref="NavLastDates"/>.</summary>
    public static string LastNavsBefore(string key, string date) => $"""
        SELECT {key}, n.AsOf, n.NAVperShare, n.DailyNAVChange, n.DailyNAVChangePercent
        FROM {NavTable} n
        JOIN (SELECT iid, pid, MAX(AsOf) AS AsOf FROM {NavTable} WHERE AsOf < {date} GROUP BY iid, pid) last
          ON n.iid = last.iid AND n.pid = last.pid AND n.AsOf = last.AsOf
        """;

    /// <summary>
    /// The query behind a portfolio's series view (<c>CREATE VIEW Inv1_P11 AS ...</c>). A view's text cannot take
    /// parameters: the ids in it pass the strict identifier check.
    /// </summary>
    public static string SeriesViewQuery(Portfolio portfolio) => $"""
        SELECT AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM {NavTable}
        WHERE iid = '{Identifier(portfolio.InvestorId)}' AND pid = '{Identifier(portfolio.Id)}'
        """;

    /// <summary>
    /// The series names of a store's <see cref="InvestorsPortfolios"/> links. A name that breaks the identifier rule
    /// (written by something other than FinNet) is skipped with a warning rather than put into SQL text.
    /// </summary>
    public static List<string> SeriesNames(IEnumerable<(string InvestorId, string PortfolioId)> links, string location, ILogger logger)
    {
        var names = new List<string>();
        foreach (var (investorId, portfolioId) in links)
        {
            var name = $"{investorId}_{portfolioId}";
            if (IsIdentifier(name))
                names.Add(name);
            else
                Log.SeriesSkipped(logger, location, name);
        }
        return names;
    }

    /// <summary>Every identifier FinNet puts into SQL text: an id pair joined by one '_' (or a fixed table name).</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,31}(_[A-Za-z][A-Za-z0-9]{0,31})?$")]
    private static partial Regex IdentifierPattern { get; }

    /// <summary>The name of a portfolio's NAV series (<c>Inv1_P11</c>), checked against the strict pattern.</summary>
    public static string SeriesName(Portfolio portfolio) => Identifier(portfolio.Key);

    public static bool IsIdentifier(string name) => IdentifierPattern.IsMatch(name);

    /// <summary>Returns <paramref name="name"/> if it is safe to place in SQL text unquoted; throws otherwise.</summary>
    public static string Identifier(string name) =>
        IsIdentifier(name)
            ? name
            : throw new InvalidInputException($"'{name}' is not a valid SQL identifier (letters and digits, one '_' between two ids)");
}
