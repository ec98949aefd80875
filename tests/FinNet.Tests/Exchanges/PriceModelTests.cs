using FinNet.Exchanges;
using FinNet.Network;

namespace FinNet.Tests.Exchanges;

public class PriceModelTests
{
    private static readonly Stock Ibm = new("IBM", "SE1", 256.90m);
    private static readonly TradingCalendar Calendar = TradingCalendar.Default;
    private static readonly DateOnly Start = new(2000, 1, 1);
    private static readonly DateOnly End = new(2026, 11, 24);

    private static List<PriceQuote> Closes(string model, long seed, Stock stock, DateOnly from, DateOnly to) =>
        PriceModels.Create(model, seed).Closes(stock, Calendar, from, to).ToList();

    [Theory]
    [InlineData(PriceModels.Gbm)]
    [InlineData(PriceModels.Uniform)]
    public void Same_seed_gives_the_same_prices_and_another_seed_others(string model)
    {
        var first = Closes(model, 42, Ibm, Start, new DateOnly(2001, 12, 31));
        var again = Closes(model, 42, Ibm, Start, new DateOnly(2001, 12, 31));
        var other = Closes(model, 43, Ibm, Start, new DateOnly(2001, 12, 31));

        Assert.Equal(first, again);
        Assert.NotEqual(first.Select(q => q.Price), other.Select(q => q.Price));
        Assert.Equal(Calendar.TradingDays(Start, new DateOnly(2001, 12, 31)), first.Select(q => q.Date));
    }

    [Theory]
    [InlineData(PriceModels.Gbm)]
    [InlineData(PriceModels.Uniform)]
    public void A_run_from_2010_shows_the_same_2010_prices_as_a_run_from_2000(string model)
    {
        var from2000 = Closes(model, 42, Ibm, Start, new DateOnly(2010, 12, 31)).Where(q => q.Date.Year == 2010);
        var from2010 = Closes(model, 42, Ibm, new DateOnly(2010, 1, 1), new DateOnly(2010, 12, 31));

        Assert.Equal(from2000, from2010);
    }

    [Fact]
    public void Uniform_prices_stay_within_five_percent_of_the_reference_in_cents()
    {
        var closes = Closes(PriceModels.Uniform, 7, Ibm, Start, End);

        // [256.90 x 0.95, 256.90 x 1.05) = [244.055, 269.745): rounded to cents, 244.06 (244.055 rounds up) to 269.74 or 269.75.
        Assert.All(closes, q => Assert.InRange(q.Price, 244.05m, 269.75m));
        Assert.All(closes, q => Assert.Equal(q.Price, Math.Round(q.Price, 2)));
        Assert.True(closes.Min(q => q.Price) < 245m && closes.Max(q => q.Price) > 268.5m, "u should cover the whole interval");
        var mean = closes.Average(q => (double)q.Price);
        Assert.InRange(mean, 256.90 * 0.995, 256.90 * 1.005); // the mean of u is 0: ~6,900 draws put the mean within 0.5 %
    }

    [Fact]
    public void Gbm_starts_at_the_reference_price_and_has_the_configured_volatility()
    {
        var stock = Ibm with { Drift = 0.10, Volatility = 0.30 };
        var closes = Closes(PriceModels.Gbm, 42, stock, Start, End);

        Assert.Equal(new DateOnly(2000, 1, 3), closes[0].Date);
        Assert.Equal(256.90m, closes[0].Price);
        Assert.All(closes, q => Assert.True(q.Price >= 0.01m && q.Price == Math.Round(q.Price, 2)));

        // Daily log returns of a GBM are normal with sd σ/√252; with ~6,900 draws the sample sd is within 3 % of it.
        var logReturns = closes.Zip(closes.Skip(1), (a, b) => Math.Log((double)b.Price / (double)a.Price)).ToList();
        var mean = logReturns.Average();
        var sd = Math.Sqrt(logReturns.Sum(r => (r - mean) * (r - mean)) / (logReturns.Count - 1));
        Assert.InRange(sd, 0.30 / Math.Sqrt(252) * 0.97, 0.30 / Math.Sqrt(252) * 1.03);
    }

    [Fact]
    public void Each_ticker_draws_its_own_path()
    {
        var ibm = Closes(PriceModels.Gbm, 42, Ibm, Start, new DateOnly(2000, 3, 31));
        var twin = Closes(PriceModels.Gbm, 42, Ibm with { Ticker = "AAPL" }, Start, new DateOnly(2000, 3, 31));

        Assert.NotEqual(ibm.Select(q => q.Price), twin.Select(q => q.Price));
    }

    [Fact]
    public void Unknown_model_is_bad_input()
    {
        var error = Assert.Throws<InvalidInputException>(() => PriceModels.Create("random", 1));

        Assert.Equal("--model: unknown price model 'random' (choose gbm or uniform)", error.Message);
    }
}
