using System.Diagnostics;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Network;

namespace FinNet.Analyst;

/// <summary>One portfolio's line in the live table.</summary>
public sealed record LiveRow(string Portfolio, string Name, string InvestorName, HeadlineFigures Figures);

/// <summary>
/// The analyst, live: every portfolio of the network with its <see cref="PortfolioAnalytics"/>, fed by a source (a
/// store being recorded into, or Kafka) as NAVs and prices arrive, de-duplicated by (portfolio, date); the
/// numbered NAV events for the dashboard; and how the source is doing. Thread-safe: one source feeds it, any
/// number of readers ask.
/// </summary>
/// <remarks>
/// With a benchmark, a NAV enters its portfolio's figures once the benchmark is settled through its date (the index
/// needs every stock priced, and one exchange may publish a day before the other), so the comparison pairs the same
/// dates the stored report pairs. The NAV events go out as NAVs arrive, without waiting.
/// </remarks>
public sealed class LiveAnalyst
{
    /// <summary>The source counts as behind (unhealthy) when it has not been reached for this long.</summary>
    public static readonly TimeSpan MostBehind = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly InvestmentNetwork _network;
    private readonly AnalystOptions _options;
    private readonly LiveBenchmark? _benchmark;
    private readonly Dictionary<string, Entry> _portfolios = new(StringComparer.Ordinal);
    private readonly List<Entry> _inOrder = [];
    private readonly HashSet<Entry> _waiting = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);
    private readonly Queue<(TimeSpan At, long Received)> _rate = new();
    private long _received, _duplicates, _unknown;
    private DateOnly? _latest;
    private TimeSpan? _reachedAt;
    private string? _sourceProblem;
    private string? _gap;
    private IReadOnlyDictionary<string, long> _lag = new Dictionary<string, long>();

    public LiveAnalyst(InvestmentNetwork network, AnalystOptions options)
    {
        BenchmarkSeries.Validate(options.Benchmark, network);
        (_network, _options) = (network, options);
        _benchmark = LiveBenchmark.Create(options.Benchmark, network);
        foreach (var portfolio in network.Portfolios)
        {
            var entry = new Entry(portfolio, network.GetInvestor(portfolio.InvestorId), new PortfolioAnalytics(options.Metrics, options.Period, _benchmark?.Name));
            _portfolios[portfolio.Key] = entry;
            _inOrder.Add(entry);
        }
    }

    public NavEvents Events { get; } = new();

    public InvestmentNetwork Network => _network;

    /// <summary>The stocks whose prices the benchmark needs (none for a portfolio benchmark or <c>none</c>).</summary>
    public IReadOnlyList<string> BenchmarkTickers => _benchmark?.Tickers ?? [];

    /// <summary>Takes what the source read: prices first (the benchmark), then NAVs, each portfolio's in date order.</summary>
    /// <param name="announce">
    /// Whether the NAVs go out as events: not for the history a source loads when it starts (clients load the current
    /// figures from the API, and the stream is for what arrives after).
    /// </param>
    public void Receive(IReadOnlyList<PriceQuote> prices, IReadOnlyList<(string Portfolio, NavPoint Nav)> navs, bool announce = true)
    {
        var accepted = new List<(string, NavPoint)>(navs.Count);
        lock (_lock)
        {
            foreach (var price in prices)
                _benchmark?.Add(price);
            foreach (var (key, nav) in navs)
            {
                if (!_portfolios.TryGetValue(key, out var entry))
                {
                    _unknown++;
                    continue;
                }
                if (entry.LastReceived is { } last && nav.AsOf <= last)
                {
                    _duplicates++;
                    continue;
                }
                // A NAV's change is against the portfolio's previous NAV: when it is not against the last one received,
                // NAVs in between are missing (the store's history and the topic's do not meet).
                if (_gap is null && entry.LastNav is { } previous && nav.Change is { } change && change != nav.NavPerShare - previous)
                    _gap = $"gap: {key} has no NAV between {entry.LastReceived:yyyy-MM-dd} and {nav.AsOf:yyyy-MM-dd}";
                (entry.LastReceived, entry.LastNav) = (nav.AsOf, nav.NavPerShare);
                if (_benchmark?.PortfolioKey == key)
                    _benchmark.Add(nav);
                entry.Pending.Enqueue(nav);
                _waiting.Add(entry);
                if (announce)
                    accepted.Add((key, nav));
                _received++;
                if (_latest is null || nav.AsOf > _latest)
                    _latest = nav.AsOf;
            }
            Release();
            if (navs.Count > 0)
                _rate.Enqueue((_clock.Elapsed, _received));
        }
        Events.Append(accepted);
    }

    /// <summary>What a source read from Kafka: prices and NAVs as they came (the NAV's stored row: date, NAV per share, change).</summary>
    public void Receive(Messaging.RecordBatch batch) =>
        Receive(batch.Prices, batch.Navs.Select(n => (n.PortfolioKey, new NavPoint(n.Date, n.NavPerShare, n.Change, n.ChangePercent))).ToList());

    /// <summary>The source answered (a poll of the store, a fetch from Kafka): it is reachable; with Kafka, the lag per partition.</summary>
    public void SourceReached(IReadOnlyDictionary<string, long>? lag = null)
    {
        lock (_lock)
            (_reachedAt, _sourceProblem, _lag) = (_clock.Elapsed, null, lag ?? _lag);
    }

    /// <summary>Messages not yet read per partition (<c>StockExchange[0]</c>), when the source is Kafka.</summary>
    public IReadOnlyDictionary<string, long> Lag()
    {
        lock (_lock)
            return _lag;
    }

    /// <summary>The source failed: the dashboard says why, and <see cref="Health"/> turns unhealthy once it lasts.</summary>
    public void SourceFailed(string problem)
    {
        lock (_lock)
            _sourceProblem = problem;
    }

    /// <summary>Healthy while the source was reached within <see cref="MostBehind"/> and no NAV is missing; otherwise the reason.</summary>
    public (bool Healthy, string Status) Health()
    {
        lock (_lock)
        {
            if (_gap is { } gap)
                return (false, gap);
            if (_reachedAt is not { } reached)
                return (false, _sourceProblem ?? "the source has not been read yet");
            var behind = _clock.Elapsed - reached;
            return behind <= MostBehind
                ? (true, "ok")
                : (false, $"the source was last read {behind.TotalSeconds:0} s ago{(_sourceProblem is { } p ? $": {p}" : "")}");
        }
    }

    public string BenchmarkDescription => _benchmark?.Description ?? "none";

    public LiveCounters Counters()
    {
        lock (_lock)
        {
            // NAVs/s over the last 5 s: the NAVs received since the oldest sample in that window (a sample per arrival).
            var now = _clock.Elapsed;
            while (_rate.Count > 0 && now - _rate.Peek().At > RateWindow)
                _rate.Dequeue();
            var rate = _rate.Count > 0 ? (_received - _rate.Peek().Received) / RateWindow.TotalSeconds : 0;
            return new LiveCounters(_received, _duplicates, _unknown, rate, _latest, _inOrder.Count);
        }
    }

    public IReadOnlyList<LiveRow> Rows()
    {
        lock (_lock)
            return _inOrder.Select(e => new LiveRow(e.Portfolio.Key, e.Portfolio.Name, e.Investor.Name, e.Analytics.Headline)).ToList();
    }

    /// <summary>The portfolio's report over the NAVs so far (what <c>finnet report</c> computes), or null for an unknown key.</summary>
    public PortfolioReport? Report(string key)
    {
        if (!_portfolios.TryGetValue(key, out var entry))
            return null;
        lock (_lock)
        {
            // A copy of the series: the report is rendered outside the lock while NAVs keep arriving.
            var analytics = entry.Analytics;
            var series = analytics.Points.ToList();
            return new PortfolioReport(entry.Investor, entry.Portfolio, series, analytics.Statistics, analytics.Metrics, analytics.DataError,
                _benchmark?.Snapshot(), analytics.Comparison, _options);
        }
    }

    /// <summary>
    /// The portfolio's NAVs per share so far with the benchmark on the same dates (rebased to 100 on the benchmark's
    /// first date; null where it has no value), for the charts; null for an unknown key.
    /// </summary>
    public LiveSeries? Series(string key)
    {
        if (!_portfolios.TryGetValue(key, out var entry))
            return null;
        lock (_lock)
        {
            var analytics = entry.Analytics;
            var dates = analytics.Dates.ToArray();
            var benchmark = _benchmark is null ? null : dates.Select(_benchmark.ValueOn).ToArray();
            return new LiveSeries(key, dates, analytics.Navs.ToArray(), _benchmark?.Description, benchmark);
        }
    }

    /// <summary>Moves each waiting portfolio's NAVs into its figures, up to the date the benchmark is settled through.</summary>
    private void Release()
    {
        var settled = _benchmark is null ? DateOnly.MaxValue : _benchmark.SettledThrough ?? DateOnly.MinValue;
        List<Entry>? done = null;
        foreach (var entry in _waiting)
        {
            while (entry.Pending.TryPeek(out var nav) && nav.AsOf <= settled)
            {
                entry.Analytics.Add(entry.Pending.Dequeue(), _benchmark?.ValueOn(nav.AsOf));
            }
            if (entry.Pending.Count == 0)
                (done ??= []).Add(entry);
        }
        foreach (var entry in done ?? [])
            _waiting.Remove(entry);
    }

    private sealed class Entry(Portfolio portfolio, Investor investor, PortfolioAnalytics analytics)
    {
        public Portfolio Portfolio { get; } = portfolio;

        public Investor Investor { get; } = investor;

        public PortfolioAnalytics Analytics { get; } = analytics;

        public Queue<NavPoint> Pending { get; } = new();

        public DateOnly? LastReceived { get; set; }

        public decimal? LastNav { get; set; }
    }
}

/// <summary>A portfolio's NAVs per share and the benchmark's values on the same dates (null where it has none), for charts.</summary>
public sealed record LiveSeries(string Portfolio, DateOnly[] Dates, decimal[] NavPerShare, string? Benchmark, double?[]? BenchmarkValues);

/// <summary>What the live analyst has taken in: NAVs accepted, duplicates and unknown portfolios dropped, the recent rate, the latest date.</summary>
public sealed record LiveCounters(long NavsReceived, long Duplicates, long UnknownPortfolios, double NavsPerSecond, DateOnly? LatestDate, int Portfolios);
