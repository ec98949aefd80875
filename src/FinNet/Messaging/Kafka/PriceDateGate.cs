using FinNet.Exchanges;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// Turns prices that arrive interleaved across the partitions of the price topic into whole trading days, in date
/// order, using the exchanges' end-of-day markers: after each day an exchange tells every partition how many
/// distinct prices of that date it sent there. A date is complete once, for every exchange the investor depends
/// on and every partition, either its marker for the date has arrived with that many prices, or that exchange has
/// already marked a later date there (it did not trade that day: a holiday is not lateness). Identical
/// re-deliveries change nothing, and of two different prices or markers for one key the first stands.
/// </summary>
/// <remarks>
/// Relies on what Kafka guarantees: order within a partition. An exchange marks a date on a partition after its
/// prices of that date and of every earlier date there, so once every partition is marked at or past a date,
/// nothing earlier can still arrive. The same order makes a resume point (<see cref="Resume"/>): read again from
/// just after each exchange's last released marker on each partition, everything an exchange sent there for a
/// later date arrives again, whole.
/// </remarks>
/// <param name="from">Where a restored reader resumes: dates up to its <see cref="PriceResume.Released"/> are not handed on again.</param>
public sealed class PriceDateGate(IReadOnlyCollection<string> exchangeIds, int partitions, PriceResume? from = null)
{
    // Exchanges and partitions by number: the gate's counts are arrays indexed by exchange * partitions + partition,
    // looked up once per message (dictionaries keyed by (exchange, date, partition) were a tenth of a valuation
    // worker's time: a string hash and a shared-generic tuple comparer per lookup).
    private readonly string[] _exchangeIds = [.. exchangeIds];
    private readonly Dictionary<string, int> _exchangeIndex = exchangeIds.Select((id, i) => (id, i)).ToDictionary(e => e.id, e => e.i, StringComparer.Ordinal);
    // Per (exchange, partition), the offset after the last released marker: the resume point.
    private readonly Dictionary<string, long[]> _afterReleased = (from?.AfterLastMarker ?? new Dictionary<string, long[]>())
        .ToDictionary(e => e.Key, e => (long[])e.Value.Clone(), StringComparer.Ordinal);
    private readonly SortedDictionary<DateOnly, PendingDay> _pending = [];
    // Per (exchange, partition), the latest date it was marked for (MinValue: none yet).
    private readonly DateOnly[] _lastMarked = new DateOnly[exchangeIds.Count * partitions];
    // Whether a date may have become complete since the last release: only a marker, or a price that brings a
    // marked partition's count up to its marker's, can complete one (checking after every price was a tenth of a
    // valuation worker's time).
    private bool _mayComplete;
    private DateOnly _released = from?.Released ?? DateOnly.MinValue;
    // The day last looked up (still pending): messages come in runs of one date.
    private PendingDay? _lastDay;

    /// <summary>Dates waiting for markers or prices (for progress and tests).</summary>
    public int PendingDates => _pending.Values.Count(day => day.Prices.Count > 0);

    /// <summary>The last date handed on, and where to read the price topic again to get every later date whole.</summary>
    public PriceResume Resume => new(_released, _afterReleased.ToDictionary(e => e.Key, e => (long[])e.Value.Clone(), StringComparer.Ordinal));

    public void AddPrice(PriceQuote quote, int partition)
    {
        if (!_exchangeIndex.TryGetValue(quote.ExchangeId, out var exchange) || quote.Date <= _released)
            return; // another exchange's, or a date already handed on
        var day = Day(quote.Date);
        if (!day.Prices.TryAdd(quote.Ticker, quote))
            return; // a re-delivered copy: the first stands
        if (partition >= partitions)
            return; // a partition the gate was not told of (the topic grew): its price is kept, never awaited
        var slot = exchange * partitions + partition;
        _mayComplete |= ++day.Received[slot] == day.Expected[slot];
    }

    /// <param name="offset">The marker's offset on its partition (<see cref="EndOfDayMarker.Partition"/>).</param>
    public void AddMarker(EndOfDayMarker marker, long offset)
    {
        if (!_exchangeIndex.TryGetValue(marker.ExchangeId, out var exchange) || marker.Date <= _released || marker.Partition >= partitions)
            return;
        var (day, slot) = (Day(marker.Date), exchange * partitions + marker.Partition);
        if (day.Expected[slot] >= 0)
            return; // a re-delivered or conflicting copy: the first marker by offset stands
        (day.Expected[slot], day.End[slot]) = (marker.Prices, offset + 1);
        _mayComplete = true;
        if (marker.Date > _lastMarked[slot])
            _lastMarked[slot] = marker.Date;
    }

    /// <summary>The trading days that became complete, oldest first; each is handed on once.</summary>
    public List<IReadOnlyList<PriceQuote>> Release()
    {
        var complete = new List<IReadOnlyList<PriceQuote>>();
        if (!_mayComplete)
            return complete;
        _mayComplete = false;
        // Dates with markers and no prices (every exchange closed) are never handed on: the first date with prices
        // decides, and once it is released the marked-only dates before it are forgotten.
        while (_pending.FirstOrDefault(d => d.Value.Prices.Count > 0) is { Value: not null } first && IsComplete(first.Key, first.Value))
        {
            var (date, day) = (first.Key, first.Value);
            foreach (var earlier in _pending.Keys.TakeWhile(d => d <= date).ToList())
                _pending.Remove(earlier);
            _lastDay = null;
            _released = date;
            complete.Add([.. day.Prices.Values.OrderBy(p => p.Ticker, StringComparer.Ordinal)]);
            for (var exchange = 0; exchange < _exchangeIds.Length; exchange++)
            {
                for (var partition = 0; partition < partitions; partition++)
                {
                    var slot = exchange * partitions + partition;
                    if (day.Expected[slot] < 0)
                        continue;
                    if (!_afterReleased.TryGetValue(_exchangeIds[exchange], out var ends))
                        _afterReleased[_exchangeIds[exchange]] = ends = Enumerable.Repeat(-1L, partitions).ToArray();
                    ends[partition] = day.End[slot];
                }
            }
        }
        return complete;
    }

    private PendingDay Day(DateOnly date)
    {
        if (_lastDay is { } last && last.Date == date)
            return last;
        if (!_pending.TryGetValue(date, out var day))
            _pending[date] = day = new PendingDay(date, _lastMarked.Length);
        _lastDay = day;
        return day;
    }

    private bool IsComplete(DateOnly date, PendingDay day)
    {
        for (var slot = 0; slot < _lastMarked.Length; slot++)
        {
            if (day.Expected[slot] >= 0 ? day.Received[slot] < day.Expected[slot] : _lastMarked[slot] <= date)
                return false; // short of its marker's count, or neither marked yet nor moved past the date
        }
        return true;
    }

    /// <summary>A date not yet released: its prices by ticker, and per (exchange, partition) slot what arrived and what its marker announced.</summary>
    private sealed class PendingDay(DateOnly date, int slots)
    {
        public DateOnly Date { get; } = date;

        public Dictionary<string, PriceQuote> Prices { get; } = new(StringComparer.Ordinal);

        public int[] Received { get; } = new int[slots];

        /// <summary>The prices the slot's marker announced; -1 while it has not arrived.</summary>
        public int[] Expected { get; } = Enumerable.Repeat(-1, slots).ToArray();

        /// <summary>The offset just after the slot's marker.</summary>
        public long[] End { get; } = new long[slots];
    }
}

/// <summary>
/// A resume point on the price topic: every date up to <paramref name="Released"/> was handed on; per exchange and
/// partition, the offset just after its last marker of such a date (-1: none yet, read from the beginning).
/// Reading each partition again from the least of its exchanges' offsets brings every later date again, whole; what
/// comes again of earlier dates is ignored.
/// </summary>
public sealed record PriceResume(DateOnly Released, IReadOnlyDictionary<string, long[]> AfterLastMarker)
{
    /// <summary>Nothing handed on yet: read every partition from its beginning.</summary>
    public static readonly PriceResume Beginning = new(DateOnly.MinValue, new Dictionary<string, long[]>());

    /// <summary>Where to read <paramref name="partition"/> from; null for its beginning.</summary>
    public long? OffsetOf(int partition, IEnumerable<string> exchangeIds)
    {
        long? least = null;
        foreach (var exchange in exchangeIds)
        {
            if (!AfterLastMarker.TryGetValue(exchange, out var ends) || partition >= ends.Length || ends[partition] < 0)
                return null;
            least = least is null ? ends[partition] : Math.Min(least.Value, ends[partition]);
        }
        return least;
    }
}
