using System.Data;
using System.Diagnostics;
using FinNet.Cli.Pipeline;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;
using FinNet.Storage;
using MySqlConnector;

namespace FinNet.Benchmarks;

/// <summary>
/// Rows per second a store sustains for the full default history (prices and NAVs of 2000-01-01..2026-11-24),
/// written in batches of a trading day's worth of rows at a time, with nothing else running.
/// </summary>
internal static class StoreWriteBenchmark
{
    public static async Task RunAsync(string location, int daysPerBatch, string? path = null)
    {
        var network = NetworkFile.LoadDefault();
        var batches = Batches(network, daysPerBatch);
        await using var store = Stores.Open(location);
        await store.ResetAsync(CancellationToken.None);
        await store.WriteReferenceDataAsync(network, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
            await store.WriteAsync(batch, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        var rows = batches.Sum(b => b.Prices.Count + b.Navs.Count);
        Console.WriteLine($"store-write {store.Location}: {rows:N0} rows in {seconds:0.00} s = {rows / seconds:N0} rows/s ({daysPerBatch} trading days per batch{(path is null ? "" : ", " + path)})");
    }

    /// <summary>
    /// The same batches with nothing of FinNet's: MySqlBulkCopy of ready-made DataTables straight into tables of the
    /// store's shape (an empty database, so no key is ever taken), one transaction per batch. The ceiling a store
    /// could reach on this server.
    /// </summary>
    public static Task BareBulkCopyAsync(string location, string connectionString, int daysPerBatch, string? path = null)
    {
        var network = NetworkFile.LoadDefault();
        return BareBulkCopyAsync(location, connectionString, network, Batches(network, daysPerBatch), $"{daysPerBatch} trading days per batch{(path is null ? "" : ", " + path)}");
    }

    /// <summary>As above, for any network's <paramref name="batches"/>; <paramref name="description"/> ends the printed line.</summary>
    public static async Task BareBulkCopyAsync(string location, string connectionString, InvestmentNetwork network, IReadOnlyList<RecordBatch> batches, string description)
    {
        await using (var store = Stores.Open(location))
        {
            await store.ResetAsync(CancellationToken.None);
            await store.WriteReferenceDataAsync(network, CancellationToken.None);
        }
        var tables = batches.Select(batch =>
        {
            var prices = new DataTable();
            foreach (var (name, type) in new[] { ("Ticker", typeof(string)), ("AsOf", typeof(DateOnly)), ("Price", typeof(decimal)), ("Exchange", typeof(string)) })
                prices.Columns.Add(name, type);
            foreach (var quote in batch.Prices)
                prices.Rows.Add(quote.Ticker, quote.Date, quote.Price, quote.ExchangeId);
            var navs = new DataTable();
            foreach (var (name, type) in new[] { ("iid", typeof(string)), ("pid", typeof(string)), ("AsOf", typeof(DateOnly)), ("NAVperShare", typeof(decimal)), ("DailyNAVChange", typeof(decimal)), ("DailyNAVChangePercent", typeof(decimal)) })
                navs.Columns.Add(name, type);
            foreach (var nav in batch.Navs)
                navs.Rows.Add(nav.InvestorId, nav.PortfolioId, nav.Date, nav.NavPerShare, nav.Change, nav.ChangePercent);
            return (Prices: prices, Navs: navs);
        }).ToList();

        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        foreach (var (prices, navs) in tables)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await new MySqlBulkCopy(connection, transaction) { DestinationTableName = StoreSchema.StockPrices }.WriteToServerAsync(prices);
            await new MySqlBulkCopy(connection, transaction) { DestinationTableName = StoreSchema.NavTable }.WriteToServerAsync(navs);
            await transaction.CommitAsync();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var rows = tables.Sum(t => t.Prices.Rows.Count + t.Navs.Rows.Count);
        Console.WriteLine($"store-write bare MySqlBulkCopy: {rows:N0} rows in {seconds:0.00} s = {rows / seconds:N0} rows/s ({description})");
    }

    /// <summary>The default network's full history (prices of the default model, NAVs of one fixed row each) in batches of <paramref name="daysPerBatch"/> trading days.</summary>
    private static List<RecordBatch> Batches(InvestmentNetwork network, int daysPerBatch)
    {
        var model = PriceModels.Create(PriceModels.Gbm, 42);
        var to = new DateOnly(2026, 11, 24);
        var prices = network.Exchanges
            .SelectMany(e => e.Stocks.SelectMany(s => model.Closes(s, e.Calendar, PriceModels.HistoryStart, to)))
            .GroupBy(q => q.Date).OrderBy(g => g.Key).ToList();
        var batches = new List<RecordBatch>();
        for (var day = 0; day < prices.Count; day += daysPerBatch)
        {
            var days = prices.Skip(day).Take(daysPerBatch).ToList();
            batches.Add(new RecordBatch(
                days.SelectMany(g => g).ToList(),
                days.SelectMany(g => network.Portfolios.Select(p => new NavUpdate(p.InvestorId, p.Id, g.Key, 1m, 1m, 123.456789m, 0.5m, 0.4m))).ToList()));
        }
        return batches;
    }
}
