using FinNet.Storage;
using FinNet.Storage.MySql;
using FinNet.Tests.Fixtures;

namespace FinNet.Tests.Storage.MySql;

/// <summary>The storage contract (the same suite as SQLite's) against a real MariaDB server, plus what only a server has.</summary>
public sealed class MySqlStoreTests(SharedMariaDb shared) : StoreContractTests
{
    private readonly MariaDbServer _server = shared.Server;
    private readonly string _database = MariaDbServer.NewDatabaseName();

    protected override Task<IFinNetStore> OpenEmptyStoreAsync() => Task.FromResult<IFinNetStore>(MySqlStore.Open(_server.Uri(_database)));

    protected override Task<IFinNetStore> ReopenAsync() => OpenEmptyStoreAsync();

    protected override Task<List<string?[]>> QueryAsync(string sql) => Task.FromResult(_server.Query(_database, sql));

    protected override Task ExecuteAsync(string sql) => Task.FromResult(_server.Query(_database, sql));

    protected override Task<List<string>> ViewNamesAsync() => Task.FromResult(_server
        .Query(_database, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
        .Select(r => r[0]!).ToList());

    [Fact]
    public async Task The_database_is_created_with_exact_decimal_columns()
    {
        var columns = _server.Query("information_schema", $"""
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM COLUMNS
            WHERE TABLE_SCHEMA = '{_database}' AND DATA_TYPE IN ('decimal', 'date') ORDER BY TABLE_NAME, ORDINAL_POSITION
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

    [Fact]
    public async Task Reset_of_a_database_that_does_not_exist_yet_creates_it()
    {
        var database = MariaDbServer.NewDatabaseName();
        await using var fresh = MySqlStore.Open(_server.Uri(database));

        await fresh.ResetAsync(CancellationToken.None);

        Assert.Null(await fresh.ReadProvenanceAsync(CancellationToken.None));
        Assert.Equal([["0"]], _server.Query(database, "SELECT COUNT(*) FROM StockPrices"));
    }

    [Fact]
    public async Task The_password_can_come_from_the_environment_and_never_appears_in_errors()
    {
        var withoutPassword = $"mysql://{MariaDbServer.User}@127.0.0.1:{_server.Port}/{_database}";
        await using (var store = MySqlStore.Open(withoutPassword, environment: name => name == "FINNET_MYSQL_PASSWORD" ? MariaDbServer.Password : null))
            Assert.Null(await store.ReadProvenanceAsync(CancellationToken.None));

        await using var wrong = MySqlStore.Open($"mysql://{MariaDbServer.User}:not-the-password-42@127.0.0.1:{_server.Port}/{_database}");
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => wrong.ReadProvenanceAsync(CancellationToken.None));

        Assert.Contains("Access denied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-42", error.Message, StringComparison.Ordinal);
        Assert.Equal($"mysql://{MariaDbServer.User}@127.0.0.1:{_server.Port}/{_database}", wrong.Location);
    }

    [Fact]
    public async Task A_database_without_the_schema_is_named_in_a_clear_error()
    {
        await using var missing = MySqlStore.Open(_server.Uri("nosuchdb"));

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => missing.ReadProvenanceAsync(CancellationToken.None));

        Assert.StartsWith($"store mysql://finnet@127.0.0.1:{_server.Port}/nosuchdb has no FinNet schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_down_gives_a_clear_error_after_the_connection_timeout()
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
