using Spectre.Console;

namespace FinNet.Cli.Output;

/// <summary>
/// Progress of a run while it works: on a terminal a live line (simulated date, messages per second), redirected
/// a plain line every few seconds, so logs of long runs show they are alive.
/// </summary>
internal static class RunProgress
{
    public sealed record Snapshot(DateOnly Published, DateOnly? Recorded, long PricesPublished, long PricesRecorded, long NavsRecorded, TimeSpan Elapsed)
    {
        public string Describe()
        {
            var rate = Elapsed.TotalSeconds > 0 ? (PricesRecorded + NavsRecorded) / Elapsed.TotalSeconds : 0;
            return $"published through {Published:yyyy-MM-dd}, valued and recorded through {(Recorded is { } r ? r.ToString("yyyy-MM-dd") : "-")}: "
                + $"{PricesRecorded:N0} prices, {NavsRecorded:N0} NAVs recorded ({rate:N0} messages/s)";
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
