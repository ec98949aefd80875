using FinNet.Investors;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Analyst;

/// <summary>
/// Feeds a <see cref="LiveAnalyst"/> from a store: the stored history first, then, every <see cref="Interval"/>,
/// whatever was recorded since (per portfolio and per benchmark stock, the rows after the last date read: one index
/// seek each, so a poll costs the new rows, not the history). Another process may be recording into the store.
/// </summary>
public sealed class StoreFollower(IFinNetStore store, LiveAnalyst analyst, ILogger logger)
{
    /// <summary>How often the store is read: well inside the dashboard's one second from record to page.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, DateOnly> _navsAfter = analyst.Network.Portfolios.ToDictionary(p => p.Key, _ => DateOnly.MinValue, StringComparer.Ordinal);
    /// <summary>NAVs handed over together: a poll's new NAVs in as few events as fit, while the history loads in bounded pieces.</summary>
    private const int BatchNavs = 10_000;

    private bool _polled;
    private readonly Dictionary<string, DateOnly> _pricesAfter = analyst.BenchmarkTickers.ToDictionary(t => t, _ => DateOnly.MinValue, StringComparer.Ordinal);

    /// <summary>Reads until cancelled; a failing read is reported to the analyst (health) and retried at the next poll.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var failing = false;
        do
        {
            try
            {
                await PollAsync(cancellationToken);
                if (failing)
                    Log.StoreFollowResumed(logger, store.Location);
                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                analyst.SourceFailed($"cannot read {store.Location}: {e.Message}");
                if (!failing)
                    Log.StoreFollowFailed(logger, store.Location, e.Message);
                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>
    /// One read of everything recorded since the last one, handed to the analyst a stock or a portfolio at a time (so
    /// the first read, the whole history, never holds more than one series); the prices first, for the benchmark.
    /// The first read's NAVs are the history and go out as no events; later reads' do.
    /// </summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var announce = _polled;
        foreach (var (ticker, after) in _pricesAfter.ToList())
        {
            var read = await store.ReadPriceSeriesAsync(ticker, after, cancellationToken);
            if (read.Count == 0)
                continue;
            _pricesAfter[ticker] = read[^1].Date;
            analyst.Receive(read, [], announce);
        }
        var navs = new List<(string, NavPoint)>();
        foreach (var portfolio in analyst.Network.Portfolios)
        {
            var read = await store.ReadNavSeriesAsync(portfolio, _navsAfter[portfolio.Key], cancellationToken);
            if (read.Count == 0)
                continue;
            _navsAfter[portfolio.Key] = read[^1].AsOf;
            navs.AddRange(read.Select(nav => (portfolio.Key, nav)));
            if (navs.Count >= BatchNavs)
            {
                analyst.Receive([], navs, announce);
                navs = [];
            }
        }
        analyst.Receive([], navs, announce);
        analyst.SourceReached();
        _polled = true;
    }
}
