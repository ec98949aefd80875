using FinNet.Investors;

namespace FinNet.Analyst;

/// <summary>
/// Drawdowns on the NAV path itself (docs/metrics.md, "Max drawdown"): the first NAV is the first high; a drawdown episode runs from the last
/// date at a high, through the fall below it, to the first date back at or above it (or to the last date, ongoing).
/// Highs and recoveries compare the exact decimal NAVs; depths are fractions in double.
/// </summary>
public static class Drawdowns
{
    public static (MaxDrawdown Deepest, LongestDrawdown Longest) Analyse(IReadOnlyList<DateOnly> dates, IReadOnlyList<NavPoint> series)
    {
        var noDrawdown = new MaxDrawdown(0, null, null, null, null, null, false);
        if (series.Count < 2)
            return (noDrawdown, new LongestDrawdown(0, null, null, false));

        var high = series[0].NavPerShare;
        var peak = 0;
        var underwater = false;
        var (deepest, troughAt, peakAtTrough) = (0.0, -1, -1);
        var longest = new LongestDrawdown(0, null, null, false);
        for (var t = 1; t < series.Count; t++)
        {
            var nav = series[t].NavPerShare;
            if (nav >= high)
            {
                if (underwater)
                    longest = Longer(longest, new LongestDrawdown(Days(dates, peak, t), dates[peak], dates[t], false));
                (high, peak, underwater) = (nav, t, false);
                continue;
            }
            underwater = true;
            var depth = ((double)nav / (double)high) - 1;
            if (depth < deepest)
                (deepest, troughAt, peakAtTrough) = (depth, t, peak);
        }
        if (underwater)
            longest = Longer(longest, new LongestDrawdown(Days(dates, peak, series.Count - 1), dates[peak], null, true));
        if (troughAt < 0)
            return (noDrawdown, longest);

        var recovery = -1;
        for (var t = troughAt + 1; t < series.Count && recovery < 0; t++)
        {
            if (series[t].NavPerShare >= series[peakAtTrough].NavPerShare)
                recovery = t;
        }
        var end = recovery >= 0 ? recovery : series.Count - 1;
        return (
            new MaxDrawdown(deepest, dates[peakAtTrough], dates[troughAt], recovery >= 0 ? dates[recovery] : null,
                Days(dates, peakAtTrough, end), end - peakAtTrough, recovery < 0),
            longest);
    }

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

    private static int Days(IReadOnlyList<DateOnly> dates, int from, int to) => dates[to].DayNumber - dates[from].DayNumber;

    /// <summary>Keeps the earlier episode on a tie, so the report names the first of equally long drawdowns.</summary>
    private static LongestDrawdown Longer(LongestDrawdown current, LongestDrawdown candidate) =>
        candidate.CalendarDays > current.CalendarDays ? candidate : current;
}
