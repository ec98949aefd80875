using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;
using FinNet.Storage;

namespace FinNet.Tests.Storage;

/// <summary>
/// The storage contract, one suite for every backend: a sealed subclass per store opens a fresh, empty one.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    protected static readonly InvestmentNetwork Network = NetworkFile.LoadDefault();
    private static readonly DateOnly Day1 = new(2024, 1, 2);
    private static readonly DateOnly Day2 = new(2024, 1, 3);

    private IFinNetStore? _store;

    protected IFinNetStore Store => _store!;

    /// <summary>Opens an empty store of the backend under test.</summary>
    protected abstract Task<IFinNetStore> OpenEmptyStoreAsync();

    /// <summary>Opens the same store again, as a second process would.</summary>
    protected abstract Task<IFinNetStore> ReopenAsync();

    /// <summary>Runs a query on the store's own connection and returns every cell as invariant text (null as null).</summary>
    protected abstract Task<List<string?[]>> QueryAsync(string sql);

    /// <summary>Writes to the store behind FinNet's back, as another program sharing the database would.</summary>
    protected abstract Task ExecuteAsync(string sql);

    /// <summary>The names of the views in the store, from the backend's own catalog, sorted.</summary>
    protected abstract Task<List<string>> ViewNamesAsync();

    public async ValueTask InitializeAsync()
    {
        _store = await OpenEmptyStoreAsync();
        await Store.CreateSchemaAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static RecordBatch Batch(DateOnly date, decimal ibm, decimal nav, decimal? change, decimal? percent) => new(
        [new PriceQuote("IBM", date, ibm, "SE1"), new PriceQuote("VZ", date, 46.49m, "SE2")],
        [new NavUpdate("Inv1", "P11", date, nav * 12_200m, 12_200m, nav, change, percent)]);

    [Fact]
    public async Task Reference_data_is_stored_under_the_original_names()
    {
        await Store.ClaimAsync(new RunProvenance(42, "gbm", Network.Fingerprint), CancellationToken.None);
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);

        Assert.Equal(
            [["Inv1", "Alpha Investments", "New York"], ["Inv2", "Beta Capital", "London"], ["Inv3", "Gamma Fund", "Tokyo"]],
            await QueryAsync("SELECT Id, Name, City FROM Investors ORDER BY Id"));
        Assert.Equal(
            [["P11", "Alpha Tech Growth", "1"], ["P12", "Alpha Value", "1"], ["P21", "Beta Tech Innovation", "0"], ["P22", "Beta High Growth", "1"], ["P31", "Gamma Balanced", "0"], ["P32", "Gamma Tech Leaders", "1"]],
            await QueryAsync("SELECT Id, Name, Cumulative FROM Portfolios ORDER BY Id"));
        Assert.Equal(
            [["Inv1", "P11"], ["Inv1", "P12"], ["Inv2", "P21"], ["Inv2", "P22"], ["Inv3", "P31"], ["Inv3", "P32"]],
            await QueryAsync("SELECT iid, pid FROM Investors_Portfolios ORDER BY iid, pid"));
        Assert.Equal(new RunProvenance(42, "gbm", Network.Fingerprint), await Store.ReadProvenanceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Prices_and_navs_keep_every_digit_and_the_series_is_queryable_by_its_name()
    {
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        await Store.WriteAsync(Batch(Day1, 252.37m, 263.809508m, null, null), CancellationToken.None);
        await Store.WriteAsync(Batch(Day2, 252.30m, 265.290164m, 1.480656m, 0.561260m), CancellationToken.None);

        Assert.Equal(
            [["IBM", "2024-01-02", "252.370000", "SE1"], ["IBM", "2024-01-03", "252.300000", "SE1"]],
            await QueryAsync("SELECT Ticker, AsOf, Price, Exchange FROM StockPrices WHERE Ticker = 'IBM' ORDER BY AsOf"));
        Assert.Equal(
            [["2024-01-02", "263.809508", null, null], ["2024-01-03", "265.290164", "1.480656", "0.561260"]],
            await QueryAsync("SELECT AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM Inv1_P11 ORDER BY AsOf"));
        Assert.Equal(
            [new NavPoint(Day1, 263.809508m, null, null), new NavPoint(Day2, 265.290164m, 1.480656m, 0.561260m)],
            await Store.ReadNavSeriesAsync(Network.Portfolios[0], CancellationToken.None));
    }

    [Fact]
    public async Task A_follower_reads_only_the_rows_after_the_date_it_has_seen()
    {
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        await Store.WriteAsync(Batch(Day1, 252.37m, 263.809508m, null, null), CancellationToken.None);
        await Store.WriteAsync(Batch(Day2, 252.30m, 265.290164m, 1.480656m, 0.561260m), CancellationToken.None);

        Assert.Equal(
            [new NavPoint(Day2, 265.290164m, 1.480656m, 0.561260m)],
            await Store.ReadNavSeriesAsync(Network.Portfolios[0], Day1, CancellationToken.None));
        Assert.Empty(await Store.ReadNavSeriesAsync(Network.Portfolios[0], Day2, CancellationToken.None));
        Assert.Equal(2, (await Store.ReadNavSeriesAsync(Network.Portfolios[0], DateOnly.MinValue, CancellationToken.None)).Count);
        Assert.Empty(await Store.ReadNavSeriesAsync(Network.Portfolios[1], DateOnly.MinValue, CancellationToken.None));
        Assert.Equal(
            [new PriceQuote("IBM", Day1, 252.37m, "SE1"), new PriceQuote("IBM", Day2, 252.30m, "SE1")],
            await Store.ReadPriceSeriesAsync("IBM", DateOnly.MinValue, CancellationToken.None));
        Assert.Equal([new PriceQuote("VZ", Day2, 46.49m, "SE2")], await Store.ReadPriceSeriesAsync("VZ", Day1, CancellationToken.None));
    }

    [Fact]
    public async Task Writing_a_batch_again_changes_nothing()
    {
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        var batch = Batch(Day1, 252.37m, 263.809508m, null, null);
        await Store.WriteAsync(batch, CancellationToken.None);
        var before = await QueryAsync("SELECT Ticker, AsOf, Price FROM StockPrices ORDER BY Ticker, AsOf");

        await Store.WriteAsync(batch, CancellationToken.None);
        await using var second = await ReopenAsync();
        await second.WriteAsync(batch, CancellationToken.None);

        Assert.Equal(before, await QueryAsync("SELECT Ticker, AsOf, Price FROM StockPrices ORDER BY Ticker, AsOf"));
        Assert.Equal([["1"]], await QueryAsync("SELECT COUNT(*) FROM Inv1_P11"));
    }

    [Fact]
    public async Task Stored_range_is_complete_through_the_least_of_the_series_last_dates()
    {
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        Assert.Equal(new StoredRange(null, null), await Store.ReadStoredRangeAsync(Network, CancellationToken.None));

        var day1 = Network.Stocks.Select(s => new PriceQuote(s.Ticker, Day1, 10m, s.ExchangeId)).ToList();
        var navs1 = Network.Portfolios.Select(p => new NavUpdate(p.InvestorId, p.Id, Day1, 100m, 10m, 10m, null, null)).ToList();
        await Store.WriteAsync(new RecordBatch(day1, navs1), CancellationToken.None);
        // Day 2 reaches every price but only one portfolio.
        var day2 = Network.Stocks.Select(s => new PriceQuote(s.Ticker, Day2, 11m, s.ExchangeId)).ToList();
        await Store.WriteAsync(new RecordBatch(day2, [navs1[0] with { Date = Day2, NavPerShare = 11m, Change = 1m, ChangePercent = 10m }]), CancellationToken.None);

        Assert.Equal(new StoredRange(Day1, Day1), await Store.ReadStoredRangeAsync(Network, CancellationToken.None));
        var restart = await Store.ReadLastNavsBeforeAsync(Day2, CancellationToken.None);
        Assert.Equal(6, restart.Count);
        Assert.Equal(new NavPoint(Day1, 10m, null, null), restart["Inv1_P11"]);
        var later = await Store.ReadLastNavsBeforeAsync(Day2.AddDays(1), CancellationToken.None);
        Assert.Equal(new NavPoint(Day2, 11m, 1m, 10m), later["Inv1_P11"]);
    }

    [Fact]
    public async Task Reset_drops_every_row_and_the_series_views()
    {
        await Store.ClaimAsync(new RunProvenance(1, "uniform", Network.Fingerprint), CancellationToken.None);
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        await Store.WriteAsync(Batch(Day1, 252.37m, 263.809508m, null, null), CancellationToken.None);

        await Store.ResetAsync(CancellationToken.None);

        Assert.Null(await Store.ReadProvenanceAsync(CancellationToken.None));
        Assert.Equal([["0"]], await QueryAsync("SELECT COUNT(*) FROM StockPrices"));
        Assert.Equal([["0"]], await QueryAsync("SELECT COUNT(*) FROM Investors"));
        Assert.Empty(await Store.ReadNavSeriesAsync(Network.Portfolios[0], CancellationToken.None));
    }

    [Fact]
    public async Task Series_are_the_links_of_Investors_Portfolios_views_are_replaced_and_a_bad_name_is_skipped()
    {
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None); // replaced, not duplicated or refused
        // Another program linked a portfolio whose series name breaks the identifier rule.
        await ExecuteAsync("INSERT INTO Investors (Id, Name, City) VALUES ('Bad-1', 'Mallory', 'Nowhere')");
        await ExecuteAsync("INSERT INTO Investors_Portfolios (iid, pid) VALUES ('Bad-1', 'P11')");
        await Store.WriteAsync(Batch(Day1, 252.37m, 263.809508m, null, null), CancellationToken.None);

        Assert.Equal(Network.Portfolios.Select(p => p.Key).Order(StringComparer.Ordinal), await ViewNamesAsync());
        Assert.Equal([["263.809508"]], await QueryAsync("SELECT NAVperShare FROM Inv1_P11"));

        await Store.ResetAsync(CancellationToken.None); // skips the bad name with a warning, drops the rest

        Assert.Empty(await ViewNamesAsync());
        Assert.Equal([["0"]], await QueryAsync("SELECT COUNT(*) FROM Investors_Portfolios"));
    }

    [Fact]
    public void A_store_produced_differently_is_refused_naming_the_difference()
    {
        var stored = new RunProvenance(42, "gbm", Network.Fingerprint);

        var error = Assert.Throws<InvalidInputException>(() => new RunProvenance(7, "gbm", Network.Fingerprint).EnsureMatches(stored, "sqlite:x.db"));

        Assert.Equal("store sqlite:x.db holds data produced with seed 42 (this run: 7); use another store, or start it afresh with 'finnet run --reset'", error.Message);
    }

    [Fact]
    public async Task A_network_claim_leaves_seed_and_model_to_the_first_run_and_a_different_claim_changes_nothing()
    {
        var network = RunProvenance.OfNetwork(Network.Fingerprint);
        Assert.Equal(network, await Store.ClaimAsync(network, CancellationToken.None));
        var run = new RunProvenance(42, "gbm", Network.Fingerprint);
        Assert.Equal(run, await Store.ClaimAsync(run, CancellationToken.None)); // the first run fixes seed and model
        Assert.Equal(run, await Store.ClaimAsync(network, CancellationToken.None)); // a network-only writer still fits

        await Assert.ThrowsAsync<InvalidInputException>(() => Store.ClaimAsync(new RunProvenance(7, "gbm", Network.Fingerprint), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidInputException>(() => Store.ClaimAsync(RunProvenance.OfNetwork(new string('0', 64)), CancellationToken.None));

        Assert.Equal(run, await Store.ReadProvenanceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Of_concurrent_claims_with_different_seeds_exactly_one_wins()
    {
        var stores = new List<IFinNetStore>();
        for (var i = 0; i < 6; i++)
            stores.Add(await ReopenAsync());
        try
        {
            var claims = stores.Select((store, seed) => Task.Run(() => store.ClaimAsync(new RunProvenance(seed, "gbm", Network.Fingerprint), CancellationToken.None))).ToList();
            foreach (var claim in claims)
                await ((Task)claim).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            var winners = claims.Where(c => c.IsCompletedSuccessfully).ToList();
            var winner = Assert.Single(winners);
            foreach (var loser in claims.Where(c => !c.IsCompletedSuccessfully))
                Assert.IsType<InvalidInputException>(loser.Exception!.InnerException);
            Assert.Equal(await winner, await Store.ReadProvenanceAsync(CancellationToken.None));
        }
        finally
        {
            foreach (var store in stores)
                await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stored_row_stands_and_a_different_one_for_its_key_is_refused()
    {
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        var first = Batch(Day1, 252.37m, 263.809508m, null, null);
        Assert.Equal(0, (await Store.WriteAsync(first, CancellationToken.None)).Count);

        var identical = Batch(Day1, 252.37m, 263.809508m, null, null);
        Assert.Equal(0, (await Store.WriteAsync(identical, CancellationToken.None)).Count); // a re-delivery: silent
        var other = Batch(Day1, 50m, 1.5m, null, null);
        var newDay = Batch(Day2, 252.30m, 265.290164m, 1.480656m, 0.561260m);
        var mixed = new RecordBatch([.. other.Prices, .. newDay.Prices, other.Prices[0] with { ExchangeId = "NOPE" }], [.. other.Navs, .. newDay.Navs]);
        var refused = await Store.WriteAsync(mixed, CancellationToken.None);

        // The changed IBM price, IBM claimed by another exchange, and the changed NAV; VZ's identical price is not refused.
        Assert.Equal([other.Prices[0], other.Prices[0] with { ExchangeId = "NOPE" }], refused.Prices);
        Assert.Equal([other.Navs[0]], refused.Navs);
        Assert.Equal(
            [["IBM", "2024-01-02", "252.370000", "SE1"], ["IBM", "2024-01-03", "252.300000", "SE1"]],
            await QueryAsync("SELECT Ticker, AsOf, Price, Exchange FROM StockPrices WHERE Ticker = 'IBM' ORDER BY AsOf"));
        Assert.Equal(
            [["2024-01-02", "263.809508"], ["2024-01-03", "265.290164"]],
            await QueryAsync("SELECT AsOf, NAVperShare FROM Inv1_P11 ORDER BY AsOf"));
    }

    [Fact]
    public async Task Within_one_batch_the_first_row_of_a_key_stands_however_the_batch_interleaves_its_series()
    {
        await Store.WriteReferenceDataAsync(Network, CancellationToken.None);
        var day2 = Batch(Day2, 252.30m, 265.290164m, 1.480656m, 0.561260m);
        var day1 = Batch(Day1, 252.37m, 263.809508m, null, null);
        var other = Batch(Day1, 50m, 1.5m, null, null);
        // Series interleaved and out of date order, as a batch gathered from several producers can be; the second
        // row of each key (IBM and Inv1_P11 on Day1) comes after the first and differs from it.
        var batch = new RecordBatch(
            [day2.Prices[0], day1.Prices[1], day1.Prices[0], day2.Prices[1], other.Prices[0]],
            [day2.Navs[0], day1.Navs[0], other.Navs[0]]);

        var refused = await Store.WriteAsync(batch, CancellationToken.None);

        Assert.Equal([other.Prices[0]], refused.Prices);
        Assert.Equal([other.Navs[0]], refused.Navs);
        Assert.Equal(
            [["IBM", "2024-01-02", "252.370000"], ["IBM", "2024-01-03", "252.300000"], ["VZ", "2024-01-02", "46.490000"], ["VZ", "2024-01-03", "46.490000"]],
            await QueryAsync("SELECT Ticker, AsOf, Price FROM StockPrices ORDER BY Ticker, AsOf"));
        Assert.Equal(
            [["2024-01-02", "263.809508"], ["2024-01-03", "265.290164"]],
            await QueryAsync("SELECT AsOf, NAVperShare FROM Inv1_P11 ORDER BY AsOf"));
    }
}
