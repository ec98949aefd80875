using FinNet.Network;

namespace FinNet.Messaging;

/// <summary>
/// What an investor asks of the price stream: who it is (its consumer group and transactional id on Kafka), the
/// portfolios whose NAVs it publishes, and the exchanges whose trading days it waits for. Built from the network by
/// the caller, so that a transport needs no network lookups of its own.
/// </summary>
public sealed record PriceSubscription(string InvestorId, IReadOnlyList<string> PortfolioKeys, IReadOnlyList<string> ExchangeIds)
{
    public static PriceSubscription Of(Investor investor, InvestmentNetwork network) => new(
        investor.Id,
        [.. investor.Portfolios.Select(p => p.Key)],
        [.. investor.Portfolios.SelectMany(p => p.Holdings).Select(h => network.FindStock(h.Ticker)!.ExchangeId).Distinct()]);
}
