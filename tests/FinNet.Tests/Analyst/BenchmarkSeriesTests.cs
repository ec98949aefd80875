using FinNet.Analyst;
using FinNet.Exchanges;
using FinNet.Messaging;
using FinNet.Network;
using FinNet.Storage.Sqlite;

namespace FinNet.Tests.Analyst;

/// <summary>
/// The equal-weighted index read from a real store, against the definition worked out here directly
/// (100 x mean over stocks of price(t) / price(first index date), on the dates every stock is priced): when every
/// stock starts on the same date (read in one pass) and when one starts later or misses a day (the index starts
/// when all are priced, and every stock is divided by its price on that date).
/// </summary>
public sealed class BenchmarkSeriesTests : IDisposable
{
    private static readonly InvestmentNetwork Network = NetworkFile.LoadDefault();
    private static readonly DateOnly[] Days = [new(2024, 1, 2), new(2024, 1, 3), new(2024, 1, 4), new(2024, 1, 5)];
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Stocks_priced_from_the_same_day_are_divided_by_that_days_price()
    {
        var prices = Prices(_ => true);

        var index = await LoadAsync(prices, BenchmarkSeries.Market);

        Assert.Equal(Days, index.Values.Select(v => v.Date));
        AssertIndex(prices, Network.Stocks.Select(s => s.Ticker).ToList(), Days[0], index);
        Assert.Equal(100, index.Values[0].Value, 12);
    }

    [Fact]
    public async Task A_stock_listed_later_starts_the_index_on_its_first_day_and_a_missed_day_is_left_out()
    {
        var tickers = Network.Stocks.Select(s => s.Ticker).Order(StringComparer.Ordinal).ToList();
        var (late, gappy) = (tickers[0], tickers[^1]); // the first and last read, so both passes see them at either end
        var prices = Prices(q => !(q.Ticker == late && q.Date == Days[0]) && !(q.Ticker == gappy && q.Date == Days[2]));

        var index = await LoadAsync(prices, BenchmarkSeries.Market);

        Assert.Equal([Days[1], Days[3]], index.Values.Select(v => v.Date));
        AssertIndex(prices, tickers, Days[1], index);
        Assert.Equal(100, index.Values[0].Value, 12);
    }

    [Fact]
    public async Task An_exchange_index_takes_only_its_own_stocks()
    {
        var exchange = Network.Exchanges[1];
        var prices = Prices(q => q.ExchangeId == exchange.Id || q.Date != Days[0]); // the other exchange's late start is not its concern

        var index = await LoadAsync(prices, exchange.Id);

        Assert.Equal(Days, index.Values.Select(v => v.Date));
        AssertIndex(prices, exchange.Stocks.Select(s => s.Ticker).ToList(), Days[0], index);
    }

    /// <summary>A price per stock and day, different for each (so a wrong divisor shows), kept where <paramref name="keep"/> says.</summary>
    private static List<PriceQuote> Prices(Func<PriceQuote, bool> keep) =>
        Network.Exchanges.SelectMany(e => e.Stocks.Select(s => (Exchange: e.Id, s.Ticker)))
            .SelectMany((stock, i) => Days.Select((day, d) => new PriceQuote(stock.Ticker, day, 10m + i + (d * (i % 3 == 0 ? 1.5m : -0.25m)), stock.Exchange)))
            .Where(keep)
            .ToList();

    private static void AssertIndex(List<PriceQuote> prices, List<string> tickers, DateOnly start, BenchmarkSeries index)
    {
        var price = prices.ToDictionary(q => (q.Ticker, q.Date), q => (double)q.Price);
        foreach (var (date, value) in index.Values)
        {
            var expected = 100 * tickers.Average(t => price[(t, date)] / price[(t, start)]);
            Assert.Equal(expected, value, 1e-9);
        }
    }

    private async Task<BenchmarkSeries> LoadAsync(List<PriceQuote> prices, string benchmark)
    {
        await using var store = SqliteStore.Open(_directory.File($"{Guid.NewGuid():N}.db"));
        await store.CreateSchemaAsync(CancellationToken.None);
        await store.WriteReferenceDataAsync(Network, CancellationToken.None);
        await store.WriteAsync(new RecordBatch(prices, []), CancellationToken.None);
        var options = new AnalystOptions(_directory.Path, DatePeriod.DefaultStatisticsPeriod, ReportFormats.Json, benchmark);
        return (await BenchmarkSeries.LoadAsync(options, store, Network, CancellationToken.None))!;
    }
}
