using FinNet.Network;

namespace FinNet.Exchanges;

/// <summary>
/// Geometric Brownian motion from the reference price on the origin (the first trading day on or after
/// 2000-01-01), one step per trading day with dt = 1/252:
/// <c>S(t+1) = S(t) exp((μ - σ²/2) dt + σ √dt Z)</c>, Z drawn from (seed, ticker, date).
/// </summary>
/// <remarks>
/// The path is always walked from the origin, so the price on a date never depends on <c>--from</c>; walking
/// 27 years of one stock is ~7,000 steps, far below the cost of publishing them. The unrounded path carries
/// forward; only the published close is rounded to the cent (at least one cent).
/// </remarks>
internal sealed class GbmPriceModel(long seed) : IPriceModel
{
    public const double DefaultDrift = 0.06;
    public const double DefaultVolatility = 0.25;
    private const double StepYears = 1.0 / 252;

    public string Name => PriceModels.Gbm;

    public IEnumerable<PriceQuote> Closes(Stock stock, TradingCalendar calendar, DateOnly from, DateOnly to)
    {
        var drift = stock.Drift ?? DefaultDrift;
        var volatility = stock.Volatility ?? DefaultVolatility;
        var step = (drift - volatility * volatility / 2) * StepYears;
        var scale = volatility * Math.Sqrt(StepYears);
        var stream = DeterministicRandom.StreamFor(seed, PriceModels.Gbm, stock.Ticker);

        var origin = calendar.OnOrAfter(PriceModels.HistoryStart);
        var logPrice = Math.Log((double)stock.ReferencePrice);
        foreach (var date in calendar.TradingDays(origin, to))
        {
            if (date > origin)
                logPrice += step + scale * DeterministicRandom.StandardNormal(stream, date);
            if (date >= from)
                yield return new PriceQuote(stock.Ticker, date, PriceModels.ToCents(Math.Exp(logPrice)), stock.ExchangeId);
        }
    }
}
