using System.Diagnostics;
using FinNet.Cli.Pipeline;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;

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
        var model = PriceModels.Create(PriceModels.Gbm, 42);
        var to = new DateOnly(2026, 11, 24);
        var prices = network.Exchanges
            .SelectMany(e => e.Stocks.SelectMany(s => model.Closes(s, e.Calendar, PriceModels.HistoryStart, to)))
            .GroupBy(q => q.Date).OrderBy(g => g.Key).ToList();
        var navs = prices.Select(day => network.Portfolios.Select(p => new NavUpdate(p.InvestorId, p.Id, day.Key, 1m, 1m, 123.456789m, 0.5m, 0.4m)).ToList()).ToList();

        await using var store = Stores.Open(location);
        await store.ResetAsync(CancellationToken.None);
        await store.WriteReferenceDataAsync(network, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        long rows = 0;
        for (var day = 0; day < prices.Count; day += daysPerBatch)
        {
            var batchPrices = prices.Skip(day).Take(daysPerBatch).SelectMany(g => g).ToList();
            var batchNavs = navs.Skip(day).Take(daysPerBatch).SelectMany(n => n).ToList();
            await store.WriteAsync(new RecordBatch(batchPrices, batchNavs), CancellationToken.None);
            rows += batchPrices.Count + batchNavs.Count;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"store-write {store.Location}: {rows:N0} rows in {seconds:0.00} s = {rows / seconds:N0} rows/s ({daysPerBatch} trading days per batch{(path is null ? "" : ", " + path)})");
    }
}
