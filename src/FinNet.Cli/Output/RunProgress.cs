using Spectre.Console;

namespace FinNet.Cli.Output;

/// <summary>
/// Progress of a run while it works: on a terminal a live line (simulated date, messages per second), redirected
/// a plain line every few seconds, so logs of long runs show they are alive.
/// </summary>
internal static class RunProgress
{
    /// <param name="From">The first day of the run.</param>
    /// <param name="To">The last day of the run: with <paramref name="Recorded"/>, how much is left (the ETA).</param>
    public sealed record Snapshot(DateOnly Published, DateOnly? Recorded, DateOnly From, DateOnly To, long PricesPublished, long PricesRecorded, long NavsRecorded, TimeSpan Elapsed)
    {
        public string Describe()
        {
            var rate = Elapsed.TotalSeconds > 0 ? (PricesRecorded + NavsRecorded) / Elapsed.TotalSeconds : 0;
            return $"simulated date {(Recorded is { } r ? r.ToString("yyyy-MM-dd") : "-")} (published through {Published:yyyy-MM-dd}): "
                + $"{PricesRecorded + NavsRecorded:N0} rows recorded, {rate:N0} rows/s{Eta()}";
        }

        /// <summary>Time left, assuming the remaining calendar days go at the pace of those done: ", ETA 1m 20s".</summary>
        private string Eta()
        {
            if (Recorded is not { } recorded || recorded <= From || Elapsed.TotalSeconds < 1)
                return "";
            var done = recorded.DayNumber - From.DayNumber;
            var left = Math.Max(0, To.DayNumber - recorded.DayNumber);
            var eta = TimeSpan.FromSeconds(Elapsed.TotalSeconds * left / done);
            return eta.TotalHours >= 1 ? $", ETA {(int)eta.TotalHours}h {eta.Minutes:00}m" : eta.TotalMinutes >= 1 ? $", ETA {eta.Minutes}m {eta.Seconds:00}s" : $", ETA {eta.Seconds}s";
        }
    }

    public static async Task ShowAsync(CliConsole console, Task work, Func<Snapshot> read)
    {
        if (console.Interactive)
        {
            await console.Out.Status().StartAsync(read().Describe(), async context =>
            {
                while (await Task.WhenAny(work, Task.Delay(100)) != work)
                    context.Status(Markup.Escape(read().Describe()));
            });
            return;
        }
        while (await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(5))) != work)
            console.Out.WriteLine(read().Describe());
    }
}
