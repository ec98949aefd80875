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
    private readonly HashSet<string> _exchanges = [.. exchangeIds];
    // Per (exchange, partition), the offset after the last released marker: the resume point.
    private readonly Dictionary<string, long[]> _afterReleased = (from?.AfterLastMarker ?? new Dictionary<string, long[]>())
        .ToDictionary(e => e.Key, e => (long[])e.Value.Clone(), StringComparer.Ordinal);
    private readonly SortedDictionary<DateOnly, Dictionary<string, PriceQuote>> _pending = [];
    private readonly Dictionary<(string Exchange, DateOnly Date, int Partition), int> _received = [];
    // Each accepted marker of a date not yet released: how many prices it announced, and the offset after it.
    private readonly Dictionary<(string Exchange, DateOnly Date, int Partition), (int Prices, long End)> _expected = [];
    private readonly Dictionary<(string Exchange, int Partition), DateOnly> _lastMarked = [];
    // Whether a date may have become complete since the last release: only a marker, or a price that brings a
    // marked partition's count up to its marker's, can complete one (checking after every price was a tenth of a
    // valuation worker's time).
    private bool _mayComplete;
    private DateOnly _released = from?.Released ?? DateOnly.MinValue;

    /// <summary>Dates waiting for markers or prices (for progress and tests).</summary>
    public int PendingDates => _pending.Count;

    /// <summary>The last date handed on, and where to read the price topic again to get every later date whole.</summary>
    public PriceResume Resume => new(_released, _afterReleased.ToDictionary(e => e.Key, e => (long[])e.Value.Clone(), StringComparer.Ordinal));

    public void AddPrice(PriceQuote quote, int partition)
    {
        if (!_exchanges.Contains(quote.ExchangeId) || quote.Date <= _released)
            return; // another exchange's, or a date already handed on
        if (!_pending.TryGetValue(quote.Date, out var day))
            _pending[quote.Date] = day = new Dictionary<string, PriceQuote>(StringComparer.Ordinal);
        if (!day.TryAdd(quote.Ticker, quote))
            return; // a re-delivered copy: the first stands
        var key = (quote.ExchangeId, quote.Date, partition);
        var received = _received[key] = _received.GetValueOrDefault(key) + 1;
        _mayComplete |= _expected.TryGetValue(key, out var marked) && received == marked.Prices;
    }

    /// <param name="offset">The marker's offset on its partition (<see cref="EndOfDayMarker.Partition"/>).</param>
    public void AddMarker(EndOfDayMarker marker, long offset)
    {
        if (!_exchanges.Contains(marker.ExchangeId) || marker.Date <= _released)
            return;
        if (!_expected.TryAdd((marker.ExchangeId, marker.Date, marker.Partition), (marker.Prices, offset + 1)))
            return; // a re-delivered or conflicting copy: the first marker by offset stands
        _mayComplete = true;
        var last = (marker.ExchangeId, marker.Partition);
        if (!_lastMarked.TryGetValue(last, out var date) || marker.Date > date)
            _lastMarked[last] = marker.Date;
    }

    /// <summary>The trading days that became complete, oldest first; each is handed on once.</summary>
    public List<IReadOnlyList<PriceQuote>> Release()
    {
        var complete = new List<IReadOnlyList<PriceQuote>>();
        if (!_mayComplete)
            return complete;
        _mayComplete = false;
        while (_pending.Count > 0)
        {
            var (date, prices) = _pending.First();
            if (!IsComplete(date))
                break;
            _pending.Remove(date);
            _released = date;
            complete.Add([.. prices.Values.OrderBy(p => p.Ticker, StringComparer.Ordinal)]);
            Forget(date);
        }
        return complete;
    }

    private bool IsComplete(DateOnly date)
    {
        foreach (var exchange in exchangeIds)
        {
            for (var partition = 0; partition < partitions; partition++)
            {
                if (_expected.TryGetValue((exchange, date, partition), out var marked))
                {
                    if (_received.GetValueOrDefault((exchange, date, partition)) < marked.Prices)
                        return false;
                }
                else if (!_lastMarked.TryGetValue((exchange, partition), out var last) || last <= date)
                {
                    return false; // neither marked yet nor moved past it
                }
            }
        }
        return true;
    }

    private void Forget(DateOnly date)
    {
        foreach (var exchange in exchangeIds)
        {
            for (var partition = 0; partition < partitions; partition++)
            {
                _received.Remove((exchange, date, partition));
                if (_expected.Remove((exchange, date, partition), out var marked))
                {
                    if (!_afterReleased.TryGetValue(exchange, out var ends))
                        _afterReleased[exchange] = ends = Enumerable.Repeat(-1L, partitions).ToArray();
                    ends[partition] = marked.End;
                }
            }
        }
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
