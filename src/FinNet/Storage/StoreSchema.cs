using System.Text.RegularExpressions;
using FinNet.Network;

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

    /// <summary>Drops every FinNet table (the series views go first, by name), links before what they refer to; SQL both stores speak.</summary>
    public const string DropTables = $"""
        DROP TABLE IF EXISTS {InvestorsPortfolios};
        DROP TABLE IF EXISTS {Investors};
        DROP TABLE IF EXISTS {Portfolios};
        DROP TABLE IF EXISTS {StockPrices};
        DROP TABLE IF EXISTS {NavTable};
        DROP TABLE IF EXISTS {Provenance};
        """;

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
