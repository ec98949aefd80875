using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;

namespace FinNet.Storage;

/// <summary>
/// The storage contract, the same for SQLite and MySQL: the original system's tables (<c>Investors</c>,
/// <c>Portfolios</c>, <c>Investors_Portfolios</c>, <c>StockPrices</c>, one NAV series per portfolio named
/// <c>Inv1_P11</c>) with 6 decimal places for NAVs, changes and percents. Reference data is upserted; a price or
/// NAV, once stored, stands: writing it again is harmless, writing a different one is refused. A batch is one transaction. Names and columns are in <see cref="StoreSchema"/>.
/// </summary>
public interface IFinNetStore : IAsyncDisposable
{
    /// <summary>Where the store is, safe to print: never a password.</summary>
    string Location { get; }

    /// <summary>Creates the database and the fixed tables when missing. Writes no rows.</summary>
    Task CreateSchemaAsync(CancellationToken cancellationToken);

    /// <summary>Drops everything FinNet created (tables, NAV series views, provenance), for <c>--reset</c>.</summary>
    Task ResetAsync(CancellationToken cancellationToken);

    /// <summary>What produced the stored data, or null for a store that has none yet.</summary>
    Task<RunProvenance?> ReadProvenanceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Claims the store for <paramref name="claim"/>, or checks it against the store's claim, in one atomic step
    /// (a write transaction that inserts what is not stored yet and reads back what is): of concurrent writers with
    /// different provenance exactly one wins, the others get <see cref="InvalidInputException"/> and write nothing.
    /// </summary>
    /// <returns>The store's provenance after the claim.</returns>
    Task<RunProvenance> ClaimAsync(RunProvenance claim, CancellationToken cancellationToken);

    /// <summary>
    /// Upserts the reference data (investors, portfolios, who holds what) and creates each portfolio's NAV series
    /// name; one transaction. Only after <see cref="ClaimAsync"/>.
    /// </summary>
    Task WriteReferenceDataAsync(InvestmentNetwork network, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a batch of prices and NAVs in one transaction. A row whose key is stored already keeps what is
    /// stored (the first stands); returns the rows that differed from it, refused (identical ones are re-deliveries).
    /// </summary>
    Task<RecordBatch> WriteAsync(RecordBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// How far the stored history reaches for <paramref name="network"/>: its first date, and the last date up to
    /// which every stock has its prices and every portfolio its NAVs (each series is written in date order,
    /// so the least of the series' last dates is complete).
    /// </summary>
    Task<StoredRange> ReadStoredRangeAsync(InvestmentNetwork network, CancellationToken cancellationToken);

    /// <summary>Each portfolio's last stored NAV before <paramref name="date"/>, by portfolio key: an investor's restart state.</summary>
    Task<IReadOnlyDictionary<string, NavPoint>> ReadLastNavsBeforeAsync(DateOnly date, CancellationToken cancellationToken);

    /// <summary>A portfolio's NAV series, ascending by date.</summary>
    Task<IReadOnlyList<NavPoint>> ReadNavSeriesAsync(Portfolio portfolio, CancellationToken cancellationToken);

    /// <summary>A portfolio's NAVs dated after <paramref name="after"/>, ascending: what a follower of the store has not seen (one index seek).</summary>
    Task<IReadOnlyList<NavPoint>> ReadNavSeriesAsync(Portfolio portfolio, DateOnly after, CancellationToken cancellationToken);

    /// <summary>A stock's prices dated after <paramref name="after"/>, ascending (one index seek).</summary>
    Task<IReadOnlyList<PriceQuote>> ReadPriceSeriesAsync(string ticker, DateOnly after, CancellationToken cancellationToken);

    /// <summary>
    /// Hands every stored price to <paramref name="visit"/>, ordered by ticker then date, one at a time: nothing is
    /// kept, so reading millions of prices (the market benchmark) takes no memory of its own.
    /// </summary>
    Task ForEachPriceAsync(Action<PriceQuote> visit, CancellationToken cancellationToken);
}

/// <param name="FirstDate">The earliest stored price date, or null for an empty store.</param>
/// <param name="CompleteThrough">The last date every series of the network has reached, or null if any series is empty.</param>
public sealed record StoredRange(DateOnly? FirstDate, DateOnly? CompleteThrough);
