using FinNet.Exchanges;
using FinNet.Investors;

namespace FinNet.Messaging;

/// <summary>What the recorder writes in one transaction: prices and NAVs, each in the order they were published.</summary>
public sealed record RecordBatch(IReadOnlyList<PriceQuote> Prices, IReadOnlyList<NavUpdate> Navs)
{
    public static readonly RecordBatch Empty = new([], []);

    public int Count => Prices.Count + Navs.Count;
}
