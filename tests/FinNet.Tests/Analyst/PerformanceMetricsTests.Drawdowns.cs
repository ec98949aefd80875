using FinNet.Analyst;


namespace FinNet.Tests.Analyst;

/// <summary>Drawdowns (docs/metrics.md, "Max drawdown"): edge cases by hand, and a long series against a naive search.</summary>
public partial class PerformanceMetricsTests
{
    [Fact]
    public void A_series_that_only_rises_has_no_drawdown_no_losses_and_no_downside_ratios()
    {
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 101m, 103m, 106m, 110m), Defaults);

        Assert.Equal(new MaxDrawdown(0, null, null, null, null, null, false), m.Risk.MaxDrawdown);
        Assert.Equal(0, m.Risk.LongestDrawdown.CalendarDays);
        Assert.All(new[] { m.Risk.Sortino, m.Risk.Calmar, m.Tails.Omega, m.WinLoss.AverageLoss, m.WinLoss.Payoff }, Assert.Null);
        Assert.Equal(1.0, m.WinLoss.WinRate);
        Assert.NotNull(m.Risk.Sharpe);
    }

    [Fact]
    public void A_loss_on_the_first_return_draws_down_from_the_first_nav()
    {
        // 100, 90, 95, 100, 105 on consecutive days: peak day 0, trough day 1 (-10 %), back at 100 on day 3.
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 90m, 95m, 100m, 105m), Defaults);

        Assert.Equal(new MaxDrawdown(-0.1, new(2024, 1, 1), new(2024, 1, 2), new(2024, 1, 4), 3, 3, false), m.Risk.MaxDrawdown with { Depth = Math.Round(m.Risk.MaxDrawdown.Depth, 12) });
        Near(-0.1, m.Periods.WorstDay!.Value, 1e-12);
    }

    [Fact]
    public void An_unrecovered_drawdown_runs_to_the_last_date_and_is_flagged_ongoing()
    {
        // 100, 110, 99, 105, 104: from 110 (day 1) down to 99 (day 2), never back.
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 110m, 99m, 105m, 104m), Defaults);

        Assert.Equal(new MaxDrawdown(-0.1, new(2024, 1, 2), new(2024, 1, 3), null, 3, 3, true), m.Risk.MaxDrawdown with { Depth = Math.Round(m.Risk.MaxDrawdown.Depth, 12) });
        Assert.Equal(new LongestDrawdown(3, new(2024, 1, 2), null, true), m.Risk.LongestDrawdown);
    }

    [Fact]
    public void Equal_highs_make_the_last_of_them_the_peak_and_the_longest_episode_is_the_earlier_of_a_tie()
    {
        // 100, 110, 110, 100, 110, 100, 110: two 1-day dips, each from the last 110 before it.
        var m = PerformanceMetrics.Compute(Series(new(2024, 1, 1), 100m, 110m, 110m, 100m, 110m, 100m, 110m), Defaults);

        Assert.Equal(new DateOnly(2024, 1, 3), m.Risk.MaxDrawdown.Peak);
        Assert.Equal(new DateOnly(2024, 1, 4), m.Risk.MaxDrawdown.Trough);
        Assert.Equal(new DateOnly(2024, 1, 5), m.Risk.MaxDrawdown.Recovery);
        Assert.Equal(new LongestDrawdown(2, new(2024, 1, 3), new(2024, 1, 5), false), m.Risk.LongestDrawdown);
    }


    [Fact]
    public void Long_series_drawdowns_agree_with_a_naive_quadratic_search()
    {
        var series = LongSeries();
        var v = series.Select(p => p.NavPerShare).ToArray();

        var m = PerformanceMetrics.Compute(series, Defaults);

        // Deepest: the worst V_j / V_i - 1 over all i <= j, its earliest trough and that trough's last prior high.
        var (depth, trough) = (0.0, -1);
        for (var j = 0; j < v.Length; j++)
        {
            for (var i = 0; i <= j; i++)
            {
                var d = ((double)v[j] / (double)v[i]) - 1;
                if (d < depth - 1e-15)
                    (depth, trough) = (d, j);
            }
        }
        var high = v.Take(trough + 1).Max();
        var peak = Array.LastIndexOf(v, high, trough);
        var recovery = Enumerable.Range(trough + 1, v.Length - trough - 1).Where(t => v[t] >= high).DefaultIfEmpty(-1).First();
        Near(depth, m.Risk.MaxDrawdown.Depth, 1e-12);
        Assert.Equal((series[peak].AsOf, series[trough].AsOf), (m.Risk.MaxDrawdown.Peak, m.Risk.MaxDrawdown.Trough));
        Assert.Equal(recovery < 0 ? null : series[recovery].AsOf, m.Risk.MaxDrawdown.Recovery);

        // Longest: for every day that is a high followed by a fall, calendar days to the first day back at that high.
        var longest = 0;
        for (var i = 0; i + 1 < v.Length; i++)
        {
            if (v[i] < v.Take(i + 1).Max() || v[i + 1] >= v[i])
                continue;
            var back = Enumerable.Range(i + 1, v.Length - i - 1).Where(t => v[t] >= v[i]).DefaultIfEmpty(v.Length - 1).First();
            longest = Math.Max(longest, series[back].AsOf.DayNumber - series[i].AsOf.DayNumber);
        }
        Assert.Equal(longest, m.Risk.LongestDrawdown.CalendarDays);
    }

}
