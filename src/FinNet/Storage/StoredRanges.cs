using FinNet.Network;

namespace FinNet.Storage;

/// <summary>The resume rule both stores share: a history is complete through the least of its series' last dates.</summary>
internal static class StoredRanges
{
    /// <param name="lastDates">Last stored date by ticker and by portfolio key (<c>Inv1_P11</c>).</param>
    public static StoredRange Of(InvestmentNetwork network, DateOnly? firstDate, IReadOnlyDictionary<string, DateOnly> lastDates)
    {
        var series = network.Stocks.Select(s => s.Ticker).Concat(network.Portfolios.Select(p => p.Key));
        DateOnly? through = null;
        foreach (var name in series)
        {
            if (!lastDates.TryGetValue(name, out var last))
                return new StoredRange(firstDate, null);
            through = through is null || last < through ? last : through;
        }
        return new StoredRange(firstDate, through);
    }
}
