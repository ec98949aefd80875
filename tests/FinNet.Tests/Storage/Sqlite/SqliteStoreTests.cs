using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;
using FinNet.Storage;
using FinNet.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace FinNet.Tests.Storage.Sqlite;

public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("store.db");

    protected override Task<IFinNetStore> OpenEmptyStoreAsync() => Task.FromResult<IFinNetStore>(SqliteStore.Open(DatabasePath));

    protected override Task<IFinNetStore> ReopenAsync() => OpenEmptyStoreAsync();

    protected override Task<List<string?[]>> QueryAsync(string sql) => Task.FromResult(SqliteQuery.Rows(DatabasePath, sql));

    protected override Task ExecuteAsync(string sql)
    {
        SqliteQuery.Execute(DatabasePath, sql);
        return Task.CompletedTask;
    }

    protected override Task<List<string>> ViewNamesAsync() =>
        Task.FromResult(SqliteQuery.Rows(DatabasePath, "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").Select(r => r[0]!).ToList());

    [Fact]
    public void A_store_in_a_missing_folder_is_bad_input()
    {
        var error = Assert.Throws<InvalidInputException>(() => SqliteStore.Open("/nonexistent-folder/x.db"));

        Assert.StartsWith("--store sqlite:/nonexistent-folder/x.db: the folder /nonexistent-folder does not exist", error.Message, StringComparison.Ordinal);
    }

    private string SchemaVersion() => SqliteQuery.Rows(DatabasePath, "PRAGMA schema_version")[0][0]!;

    /// <summary>
    /// The series views are written straight into sqlite_schema in one schema change (SqliteStore.WriteSeriesViews):
    /// what CREATE VIEW would leave must be there, other connections must see it, and nothing may be left half done.
    /// </summary>
    [Fact]
    public async Task Series_views_are_written_in_one_schema_change_an_older_one_replaced_and_seen_by_other_connections()
    {
        var versionBefore = long.Parse(SchemaVersion(), System.Globalization.CultureInfo.InvariantCulture);
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);

        // Six views, one schema change, each row exactly what CREATE VIEW writes (type, tbl_name, rootpage 0).
        Assert.Equal((versionBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), SchemaVersion());
        Assert.Equal(
            [["view", "Inv1_P11", "Inv1_P11", "0", "CREATE VIEW Inv1_P11 AS\nSELECT AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM PortfolioNavs\nWHERE iid = 'Inv1' AND pid = 'P11'"]],
            SqliteQuery.Rows(DatabasePath, "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema WHERE name = 'Inv1_P11'"));
        Assert.Equal([["ok"]], SqliteQuery.Rows(DatabasePath, "PRAGMA integrity_check"));

        // Views as written are left alone: no schema change at all.
        var version = SchemaVersion();
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        Assert.Equal(version, SchemaVersion());

        // A view as an older FinNet (or a hand) wrote it, read by a connection that stays open meanwhile.
        SqliteQuery.Execute(DatabasePath, "DROP VIEW Inv1_P11");
        SqliteQuery.Execute(DatabasePath, "CREATE VIEW Inv1_P11 AS SELECT 'old' AS AsOf, NULL AS NAVperShare");
        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        other.Open();
        using var read = other.CreateCommand();
        read.CommandText = "SELECT AsOf, NAVperShare FROM Inv1_P11";
        Assert.Equal("old", read.ExecuteScalar());

        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        await Store.WriteAsync(new RecordBatch([], [new NavUpdate("Inv1", "P11", new DateOnly(2024, 1, 2), 1_000m, 10m, 100m, null, null)]), CancellationToken.None);

        Assert.Equal("2024-01-02", read.ExecuteScalar()); // the open connection read the schema again
        Assert.Equal([["2024-01-02", "100.000000"]], SqliteQuery.Rows(DatabasePath, "SELECT AsOf, NAVperShare FROM Inv1_P11"));
        Assert.Equal([["6"]], SqliteQuery.Rows(DatabasePath, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'view'"));
        Assert.Equal([["ok"]], SqliteQuery.Rows(DatabasePath, "PRAGMA integrity_check"));

        // --reset removes them the same way: gone for the open connection too, the file whole.
        await Store.ResetAsync(CancellationToken.None);
        Assert.Equal([["0"]], SqliteQuery.Rows(DatabasePath, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'view'"));
        Assert.Contains("no such table: Inv1_P11", Assert.Throws<SqliteException>(() => read.ExecuteScalar()).Message, StringComparison.Ordinal);
        Assert.Equal([["ok"]], SqliteQuery.Rows(DatabasePath, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_series_name_taken_by_a_table_is_refused_in_one_line_and_nothing_is_written()
    {
        // SQLite's names are case-insensitive: inv2_p21 is Inv2_P21's name.
        SqliteQuery.Execute(DatabasePath, "CREATE TABLE inv2_p21 (x TEXT)");
        var version = SchemaVersion();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => Store.WriteReferenceDataAsync(Network, CancellationToken.None));

        Assert.Equal($"--store sqlite:{DatabasePath}: 'Inv2_P21' is a table, where FinNet keeps that portfolio's NAV series view", error.Message);
        Assert.Equal(version, SchemaVersion());
        Assert.Equal([["0"]], SqliteQuery.Rows(DatabasePath, "SELECT COUNT(*) FROM Investors"));
        Assert.Empty(await ViewNamesAsync());
    }

    [Fact]
    public async Task Two_portfolios_whose_series_names_differ_only_in_case_are_refused_in_one_line_and_nothing_is_written()
    {
        // Valid ids (they are compared exactly), but SQLite would see one view name for both.
        var se1 = new Exchange("SE1", TradingCalendar.Default, [new Stock("IBM", "SE1", 100m)]);
        Portfolio Holding(string investor, string id) => new(investor, id, id, false, 10m, [new Holding("IBM", 1m)]);
        var network = new InvestmentNetwork([se1],
            [new Investor("Inv1", "A", "X", [Holding("Inv1", "P1")]), new Investor("inv1", "B", "Y", [Holding("inv1", "p1")])], "test");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => Store.WriteReferenceDataAsync(network, CancellationToken.None));

        Assert.Equal($"--store sqlite:{DatabasePath}: the series views Inv1_P1 and inv1_p1 would have one name in SQLite, which ignores case in names", error.Message);
        Assert.Equal([["0"]], SqliteQuery.Rows(DatabasePath, "SELECT COUNT(*) FROM Investors"));
        Assert.Empty(await ViewNamesAsync());
    }

    public void Dispose() => _directory.Dispose();
}
