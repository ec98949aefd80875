using System.Globalization;
using FinNet.Cli;
using FinNet.Cli.Output;
using FinNet.Tests.Storage;

namespace FinNet.Tests.Cli;

/// <summary>Drives the CLI in-process, as a user would call it, capturing stdout and stderr.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await FinNetCommandLine.InvokeAsync(args, CliConsole.Plain(output, error), CancellationToken.None);
        return new Result(exit, output.ToString(), error.ToString());
    }

    /// <summary>Every row of every FinNet table and series view of a SQLite store, as text: two stores are equal when their dumps are.</summary>
    public static List<string> Dump(string databasePath) => Dump(sql => SqliteQuery.Rows(databasePath, sql));

    /// <summary>
    /// The same for a store of any network: every table, with the NAVs read from the table under the series views
    /// (the views are named after the network's portfolios).
    /// </summary>
    public static List<string> DumpTables(string databasePath) =>
        new (string Table, string Order)[] { ("Investors", "Id"), ("Portfolios", "Id"), ("Investors_Portfolios", "iid, pid"), ("StockPrices", "Ticker, AsOf"), ("PortfolioNavs", "iid, pid, AsOf") }
            .SelectMany(t => SqliteQuery.Rows(databasePath, $"SELECT * FROM {t.Table} ORDER BY {t.Order}").Select(row => t.Table + ": " + string.Join('|', row.Select(cell => cell ?? "NULL"))))
            .ToList();

    /// <summary>The same dump of any store, read through <paramref name="query"/> (which gives every cell as invariant text).</summary>
    public static List<string> Dump(Func<string, List<string?[]>> query)
    {
        (string Table, string Order)[] tables =
        [
            ("Investors", "Id"), ("Portfolios", "Id"), ("Investors_Portfolios", "iid, pid"), ("StockPrices", "Ticker, AsOf"),
            ("Inv1_P11", "AsOf"), ("Inv1_P12", "AsOf"), ("Inv2_P21", "AsOf"), ("Inv2_P22", "AsOf"), ("Inv3_P31", "AsOf"), ("Inv3_P32", "AsOf"),
            ("FinNetProvenance", "Name"),
        ];
        return tables
            .SelectMany(t => query($"SELECT * FROM {t.Table} ORDER BY {t.Order}")
                .Select(row => t.Table + ": " + string.Join('|', row.Select(cell => cell ?? "NULL"))))
            .ToList();
    }
}
