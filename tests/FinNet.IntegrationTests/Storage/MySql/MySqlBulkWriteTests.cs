using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;
using FinNet.Storage.MySql;
using FinNet.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FinNet.Tests.Storage.MySql;

/// <summary>
/// The bulk path (LOAD DATA LOCAL INFILE into a staging table, then a merge) against the upsert path it replaces,
/// on a MariaDB server of the test's own (its <c>local_infile</c> is switched off half-way, which other tests must
/// not see): the same seeded batches, full of re-deliveries and conflicts within and across batches, give the same
/// refused rows and the same tables either way, and a server that refuses the bulk load is named in one warning.
/// </summary>
public sealed class MySqlBulkWriteTests : IAsyncLifetime
{
    private static readonly InvestmentNetwork Network = NetworkFile.LoadDefault();
    private MariaDbServer? _server;

    private MariaDbServer Server => _server!;

    public async ValueTask InitializeAsync() => _server = await MariaDbServer.StartAsync("--local-infile=1");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Fact]
    public async Task Bulk_loads_refuse_and_keep_exactly_what_upserts_do_and_a_refusing_server_gets_one_warning()
    {
        // First a batch of new keys only (loaded straight into the tables), then batches with taken keys (whose
        // loads are undone and go through the staging tables).
        List<RecordBatch> batches = [NewKeysBatch(), .. Enumerable.Range(0, 3).Select(i => SeededBatch(new Random(20261203 + i)))];
        var (bulkDb, upsertDb) = (MariaDbServer.NewDatabaseName(), MariaDbServer.NewDatabaseName());

        var bulkLog = new FakeLogger();
        var bulkRefused = await WriteAllAsync(bulkDb, batches, bulkLog);
        // Per table: 1 load for the new keys, then 2 for each of 3 batches (straight in and undone, then staged).
        Assert.Equal([["Com_load", "14"]], Server.Query("mysql", "SHOW GLOBAL STATUS LIKE 'Com_load'"));
        await Server.ExecuteAsRootAsync("SET GLOBAL local_infile = 0");
        var upsertLog = new FakeLogger();
        var upsertRefused = await WriteAllAsync(upsertDb, batches, upsertLog);

        Assert.Empty(Warnings(bulkLog));
        var warning = Assert.Single(Warnings(upsertLog));
        Assert.StartsWith($"Store {Server.Display(upsertDb)}: the server refuses LOAD DATA LOCAL INFILE (", warning.Message, StringComparison.Ordinal);
        for (var i = 0; i < batches.Count; i++)
        {
            Assert.Equal(upsertRefused[i].Prices, bulkRefused[i].Prices);
            Assert.Equal(upsertRefused[i].Navs, bulkRefused[i].Navs);
        }
        Assert.NotEmpty(bulkRefused.SelectMany(r => r.Prices));
        Assert.NotEmpty(bulkRefused.SelectMany(r => r.Navs));
        foreach (var query in (string[])["SELECT * FROM StockPrices ORDER BY Ticker, AsOf", "SELECT * FROM PortfolioNavs ORDER BY iid, pid, AsOf"])
        {
            var (bulk, upsert) = (Server.Query(bulkDb, query), Server.Query(upsertDb, query));
            Assert.True(bulk.Count > 100, $"{query}: {bulk.Count} rows");
            Assert.Equal(upsert, bulk);
        }
    }

    private static IEnumerable<FakeLogRecord> Warnings(FakeLogger logger) => logger.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning);

    private async Task<List<RecordBatch>> WriteAllAsync(string database, List<RecordBatch> batches, ILogger logger)
    {
        await using var store = MySqlStore.Open(Server.Uri(database), logger);
        await store.CreateSchemaAsync(CancellationToken.None);
        await store.WriteReferenceDataAsync(Network, CancellationToken.None);
        var refused = new List<RecordBatch>();
        foreach (var batch in batches)
            refused.Add(await store.WriteAsync(batch, CancellationToken.None));
        return refused;
    }

    /// <summary>Every stock's price and every portfolio's NAV on 200 days after the seeded batches' days: 6,000 new keys.</summary>
    private static RecordBatch NewKeysBatch()
    {
        var days = Enumerable.Range(0, 200).Select(d => new DateOnly(2024, 3, 1).AddDays(d)).ToList();
        return new RecordBatch(
            [.. days.SelectMany(day => Network.Stocks.Select((s, i) => new PriceQuote(s.Ticker, day, 20m + i + (day.DayNumber % 7 / 8m), s.ExchangeId)))],
            [.. days.SelectMany(day => Network.Portfolios.Select(p => new NavUpdate(p.InvestorId, p.Id, day, 123_456.789m, 1000m, 123.456789m, 0.000001m, -0.000001m)))]);
    }

    /// <summary>
    /// 3,000 prices and 3,000 NAVs (a batch big enough for the bulk path) over 40 days, keys drawn with repeats and values from two choices each: many
    /// rows are re-deliveries of their key's first row, many differ from it, within a batch and across batches.
    /// </summary>
    private static RecordBatch SeededBatch(Random random)
    {
        var stocks = Network.Stocks.ToList();
        var portfolios = Network.Portfolios.ToList();
        var days = Enumerable.Range(0, 40).Select(d => new DateOnly(2024, 1, 1).AddDays(d)).ToList();
        var prices = Enumerable.Range(0, 3000).Select(_ =>
        {
            var stock = stocks[random.Next(stocks.Count)];
            var exchange = random.Next(10) == 0 ? "SE9" : stock.ExchangeId;
            return new PriceQuote(stock.Ticker, days[random.Next(days.Count)], random.Next(2) == 0 ? 10.5m : 10.250001m, exchange);
        }).ToList();
        var navs = Enumerable.Range(0, 3000).Select(_ =>
        {
            var portfolio = portfolios[random.Next(portfolios.Count)];
            var nav = random.Next(2) == 0 ? 101.123456m : 101.123457m;
            decimal? change = random.Next(3) switch { 0 => null, 1 => 0.5m, _ => -0.25m };
            return new NavUpdate(portfolio.InvestorId, portfolio.Id, days[random.Next(days.Count)], nav * 1000m, 1000m, nav, change, change is null ? null : change / 2);
        }).ToList();
        return new RecordBatch(prices, navs);
    }
}
