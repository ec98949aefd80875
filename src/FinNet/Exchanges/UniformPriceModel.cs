using FinNet.Network;

namespace FinNet.Exchanges;

/// <summary>Each trading day, independently: reference x (1 + u), u uniform in [-5 %, +5 %), rounded to the cent.</summary>
internal sealed class UniformPriceModel(long seed) : IPriceModel
{
    public string Name => PriceModels.Uniform;

    public IEnumerable<PriceQuote> Closes(Stock stock, TradingCalendar calendar, DateOnly from, DateOnly to)
    {
        var stream = DeterministicRandom.StreamFor(seed, PriceModels.Uniform, stock.Ticker);
        foreach (var date in calendar.TradingDays(from, to))
        {
            var u = DeterministicRandom.Uniform(stream, date) * 0.10 - 0.05;
            var price = Math.Round(stock.ReferencePrice * (1m + (decimal)u), 2, MidpointRounding.AwayFromZero);
            yield return new PriceQuote(stock.Ticker, date, PriceModels.Bounded(price), stock.ExchangeId);
        }
    }
}
