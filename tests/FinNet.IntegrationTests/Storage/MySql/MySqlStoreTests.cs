using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Storage;
using FinNet.Storage.MySql;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.Storage.MySql;

/// <summary>The storage contract (the same suite as SQLite's) against a real MariaDB server.</summary>
public abstract class MariaDbStoreContractTests(SharedMariaDb shared) : StoreContractTests
{
    protected MariaDbServer Server { get; } = shared.Server;

    protected string Database { get; } = MariaDbServer.NewDatabaseName();

    protected virtual MySqlStore Open() => MySqlStore.Open(Server.Uri(Database));

    protected override Task<IFinNetStore> OpenEmptyStoreAsync() => Task.FromResult<IFinNetStore>(Open());

    protected override Task<IFinNetStore> ReopenAsync() => OpenEmptyStoreAsync();

    protected override Task<List<string?[]>> QueryAsync(string sql) => Task.FromResult(Server.Query(Database, sql));

    protected override Task ExecuteAsync(string sql) => Task.FromResult(Server.Query(Database, sql));

    protected override Task<List<string>> ViewNamesAsync() => Task.FromResult(Server
        .Query(Database, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
        .Select(r => r[0]!).ToList());
}

/// <summary>
/// The storage contract on the bulk path: every batch, however small, is bulk-loaded (straight into the tables, or
/// staged when a key is taken), where the suite's batches of a few rows would otherwise be upserts.
/// </summary>
public sealed class MySqlStoreBulkTests(SharedMariaDb shared) : MariaDbStoreContractTests(shared)
{
    protected override MySqlStore Open()
    {
        var store = base.Open();
        store.BulkMinimumRows = 1;
        return store;
    }
}

/// <summary>The storage contract on MariaDB as configured (small batches upserted), plus what only a server has.</summary>
public sealed class MySqlStoreTests(SharedMariaDb shared) : MariaDbStoreContractTests(shared)
{
    [Fact]
    public async Task TheDatabase_is_created_with_exact_decimal_columns()
    {
        var columns = Server.Query("information_schema", $"""
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM COLUMNS
            WHERE TABLE_SCHEMA = '{Database}' AND DATA_TYPE IN ('decimal', 'date') ORDER BY TABLE_NAME, ORDINAL_POSITION
            """);

        Assert.Equal(
            [
                ["PortfolioNavs", "AsOf", "date"], ["PortfolioNavs", "NAVperShare", "decimal(20,6)"],
                ["PortfolioNavs", "DailyNAVChange", "decimal(20,6)"], ["PortfolioNavs", "DailyNAVChangePercent", "decimal(20,6)"],
                ["StockPrices", "AsOf", "date"], ["StockPrices", "Price", "decimal(20,6)"],
            ],
            columns);
        await Store.CreateSchemaAsync(CancellationToken.None); // again: nothing changes, nothing fails
    }

    /// <summary>
    /// Every start writes the reference data; a view the server already holds as FinNet writes it is not written
    /// again (10,000 portfolios' views cost 9 s a start), one that differs is replaced.
    /// </summary>
    [Fact]
    public async Task Series_views_already_as_written_are_left_alone_and_a_changed_one_is_replaced()
    {
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        // A DBA made one view run with the caller's rights (same query); a script changed another's query.
        var definition = Server.Query(Database, "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Inv1_P12'")[0][0];
        Server.Query(Database, $"CREATE OR REPLACE SQL SECURITY INVOKER VIEW Inv1_P12 AS {definition}");
        Server.Query(Database, "CREATE OR REPLACE VIEW Inv2_P21 AS SELECT 'old' AS AsOf");

        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        await Store.WriteAsync(new RecordBatch([], [new NavUpdate("Inv2", "P21", new DateOnly(2024, 1, 2), 1_000m, 10m, 100m, null, null)]), CancellationToken.None);

        Assert.Equal(
            [["Inv1_P11", "DEFINER"], ["Inv1_P12", "INVOKER"], ["Inv2_P21", "DEFINER"], ["Inv2_P22", "DEFINER"], ["Inv3_P31", "DEFINER"], ["Inv3_P32", "DEFINER"]],
            Server.Query(Database, "SELECT TABLE_NAME, SECURITY_TYPE FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"));
        Assert.Equal([["2024-01-02", "100.000000"]], Server.Query(Database, "SELECT AsOf, NAVperShare FROM Inv2_P21"));
    }

    [Fact]
    public async Task Reset_of_aDatabase_that_does_not_exist_yet_creates_it()
    {
        var database = MariaDbServer.NewDatabaseName();
        await using var fresh = MySqlStore.Open(Server.Uri(database));

        await fresh.ResetAsync(CancellationToken.None);

        Assert.Null(await fresh.ReadProvenanceAsync(CancellationToken.None));
        Assert.Equal([["0"]], Server.Query(database, "SELECT COUNT(*) FROM StockPrices"));
    }

    [Fact]
    public async Task The_password_can_come_from_the_environment_and_never_appears_in_errors()
    {
        var withoutPassword = $"mysql://{MariaDbServer.User}@127.0.0.1:{Server.Port}/{Database}";
        await using (var store = MySqlStore.Open(withoutPassword, environment: name => name == "FINNET_MYSQL_PASSWORD" ? MariaDbServer.Password : null))
            Assert.Null(await store.ReadProvenanceAsync(CancellationToken.None));

        await using var wrong = MySqlStore.Open($"mysql://{MariaDbServer.User}:not-the-password-42@127.0.0.1:{Server.Port}/{Database}");
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => wrong.ReadProvenanceAsync(CancellationToken.None));

        Assert.Contains("Access denied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-42", error.Message, StringComparison.Ordinal);
        Assert.Equal($"mysql://{MariaDbServer.User}@127.0.0.1:{Server.Port}/{Database}", wrong.Location);
    }

    [Fact]
    public async Task ADatabase_without_the_schema_is_named_in_a_clear_error()
    {
        await using var missing = MySqlStore.Open(Server.Uri("nosuchdb"));

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => missing.ReadProvenanceAsync(CancellationToken.None));

        Assert.StartsWith($"store mysql://finnet@127.0.0.1:{Server.Port}/nosuchdb has no FinNet schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServer_that_is_down_gives_a_clear_error_after_the_connection_timeout()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nobody listens there now
        await using var down = MySqlStore.Open($"mysql://finnet:secret-pw@127.0.0.1:{port}/x?ConnectionTimeout=1");

        var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => down.CreateSchemaAsync(CancellationToken.None));

        Assert.StartsWith($"store mysql://finnet@127.0.0.1:{port}/x: could not create the database within 1 s (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", error.Message, StringComparison.Ordinal);
    }
}
