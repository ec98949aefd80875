using FinNet.Investors;

namespace FinNet.Analyst;

/// <summary>
/// Drawdowns on the NAV path itself (docs/metrics.md, "Max drawdown"), followed one NAV at a time: the first NAV is
/// the first high; a drawdown episode runs from the last date at a high, through the fall below it, to the first date
/// back at or above it (or to the last date, ongoing). Highs and recoveries compare the exact decimal NAVs; depths
/// are fractions in double. O(1) per NAV.
/// </summary>
internal sealed class Drawdowns
{
    private static readonly MaxDrawdown NoDrawdown = new(0, null, null, null, null, null, false);

    private int _count;
    private decimal _high;
    private double _highAsDouble;
    private (int Index, DateOnly Date) _peak, _last;
    private bool _underwater;

    // The deepest trough so far, the peak before it and, once the NAV is back at that peak, the recovery.
    private double _deepest;
    private (int Index, DateOnly Date)? _trough, _peakAtTrough, _recovery;

    // The longest episode that has ended (an ongoing one is weighed when asked for).
    private LongestDrawdown _longestEnded = new(0, null, null, false);

    /// <param name="navAsDouble">The NAV converted once by the caller, which needs it too.</param>
    public void Add(DateOnly date, decimal nav, double navAsDouble)
    {
        var at = (_count++, date);
        _last = at;
        if (_count == 1 || nav >= _high)
        {
            if (_underwater)
            {
                _longestEnded = Longer(_longestEnded, new LongestDrawdown(Days(_peak, at), _peak.Date, date, false));
                if (_peakAtTrough == _peak)
                    _recovery ??= at;
            }
            (_high, _highAsDouble, _peak, _underwater) = (nav, navAsDouble, at, false);
            return;
        }
        _underwater = true;
        var depth = (navAsDouble / _highAsDouble) - 1;
        if (depth < _deepest)
            (_deepest, _trough, _peakAtTrough, _recovery) = (depth, at, _peak, null);
    }

    public MaxDrawdown Deepest
    {
        get
        {
            if (_trough is null || _peakAtTrough is not { } peak)
                return NoDrawdown;
            var end = _recovery ?? _last;
            return new MaxDrawdown(_deepest, peak.Date, _trough.Value.Date, _recovery?.Date, Days(peak, end), end.Index - peak.Index, _recovery is null);
        }
    }

    public LongestDrawdown Longest => _underwater
        ? Longer(_longestEnded, new LongestDrawdown(Days(_peak, _last), _peak.Date, null, true))
        : _longestEnded;

    /// <summary>The underwater curve <c>V_t / max_{s≤t} V_s - 1</c> (0 at every high), for the drawdown chart.</summary>
    public static double[] Underwater(IReadOnlyList<NavPoint> series)
    {
        var curve = new double[series.Count];
        var high = decimal.MinValue;
        for (var t = 0; t < series.Count; t++)
        {
            high = Math.Max(high, series[t].NavPerShare);
            curve[t] = ((double)series[t].NavPerShare / (double)high) - 1;
        }
        return curve;
    }

    private static int Days((int Index, DateOnly Date) from, (int Index, DateOnly Date) to) => to.Date.DayNumber - from.Date.DayNumber;

    /// <summary>Keeps the earlier episode on a tie, so the report names the first of equally long drawdowns.</summary>
    private static LongestDrawdown Longer(LongestDrawdown current, LongestDrawdown candidate) =>
        candidate.CalendarDays > current.CalendarDays ? candidate : current;
}
