using FinNet.Network;

namespace FinNet.Exchanges;

/// <summary>
/// How closing prices are simulated. A price is a function of (seed, model, ticker, date) only: never of thread
/// timing, of which process runs the exchange, or of where a run starts.
/// </summary>
public interface IPriceModel
{
    /// <summary>The name <c>--model</c> takes.</summary>
    string Name { get; }

    /// <summary>The closes of <paramref name="stock"/> on the trading days of <paramref name="calendar"/> in [from, to], ascending.</summary>
    IEnumerable<PriceQuote> Closes(Stock stock, TradingCalendar calendar, DateOnly from, DateOnly to);
}

public static class PriceModels
{
    public const string Uniform = "uniform";
    public const string Gbm = "gbm";

    public static IReadOnlyList<string> Names { get; } = [Gbm, Uniform];

    /// <summary>The first date any price exists: the price history starts on the first trading day on or after it.</summary>
    public static readonly DateOnly HistoryStart = new(2000, 1, 1);

    public static IPriceModel Create(string name, long seed) => name switch
    {
        Uniform => new UniformPriceModel(seed),
        Gbm => new GbmPriceModel(seed),
        _ => throw new InvalidInputException(Problem(name)!),
    };

    /// <summary>What is wrong with a <c>--model</c> value, or null if it names a model.</summary>
    public static string? Problem(string? name) =>
        Names.Contains(name) ? null : $"--model: unknown price model '{name}' (choose {string.Join(" or ", Names)})";

    /// <summary>The highest quote a model produces: one cent below the stores' limit (DECIMAL(20,6) holds under 10^14).</summary>
    public const decimal MaxPrice = Storage.StoreSchema.NumericLimit - 0.01m;

    /// <summary>Rounds a simulated price to the cent, within [one cent, <see cref="MaxPrice"/>].</summary>
    internal static decimal ToCents(double price) =>
        double.IsFinite(price) ? Bounded(Math.Round((decimal)Math.Clamp(price, 0, (double)MaxPrice), 2, MidpointRounding.AwayFromZero)) : 0.01m;

    /// <summary>A quote within [one cent, <see cref="MaxPrice"/>].</summary>
    internal static decimal Bounded(decimal price) => Math.Clamp(price, 0.01m, MaxPrice);
}
